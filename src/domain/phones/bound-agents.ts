import { findVersions } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import type { PhoneRow } from '../../store/phones-repo.js';

/** version id → agent id, for the versions the given phones are bound to (their views show agents). */
export async function agentsOfBindings(db: Db, phones: PhoneRow[]): Promise<Map<string, string>> {
  const ids = phones.flatMap((p) => [p.inbound_version_id, p.outbound_version_id]).filter((id) => id !== null);
  const versions = await findVersions(db, [...new Set(ids)]);
  return new Map([...versions.values()].map((v) => [v.id, v.agent_id]));
}
