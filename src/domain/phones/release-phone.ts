import type { Db } from '../../store/database.js';
import { deletePhone } from '../../store/phones-repo.js';
import { existingPhone } from './existing-phone.js';

/** Releases an imported number: it is deleted at once. Calls made with it keep its id. */
export async function releasePhone(db: Db, projectId: string, phoneId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const phone = await existingPhone(trx, projectId, phoneId);
    await deletePhone(trx, phone.id);
  });
}
