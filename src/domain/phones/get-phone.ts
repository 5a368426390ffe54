import type { Db } from '../../store/database.js';
import { agentsOfBindings } from './bound-agents.js';
import { existingPhone } from './existing-phone.js';
import { toPhoneView, type PhoneView } from './view.js';

export async function getPhone(db: Db, projectId: string, phoneId: string): Promise<PhoneView> {
  const row = await existingPhone(db, projectId, phoneId);
  return toPhoneView(row, await agentsOfBindings(db, [row]));
}
