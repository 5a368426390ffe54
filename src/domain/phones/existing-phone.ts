import type { Db } from '../../store/database.js';
import { findPhone, type PhoneRow } from '../../store/phones-repo.js';
import { phoneErrors } from './errors.js';

/** The project's phone; 404 when the project has none with this id. */
export async function existingPhone(db: Db, projectId: string, phoneId: string): Promise<PhoneRow> {
  const row = await findPhone(db, projectId, phoneId);
  if (row === undefined) throw phoneErrors.notFound(phoneId);
  return row;
}
