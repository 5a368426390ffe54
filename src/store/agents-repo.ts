import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { AgentsTable, AgentVersionsTable } from './schema.js';

export type AgentRow = AgentsTable;
export type AgentVersionRow = AgentVersionsTable;

export async function insertAgent(db: Db, row: AgentRow): Promise<void> {
  await db
    .insertInto('agents')
    .values(withDbInstants(db, row, ['created_date', 'modified_at']))
    .execute();
}

export async function insertVersion(db: Db, row: AgentVersionRow): Promise<void> {
  await db
    .insertInto('agent_versions')
    .values(withDbInstants(db, row, ['created_date', 'modified_at']))
    .execute();
}

export function agentsOf(db: Db, projectId: string) {
  return db.selectFrom('agents').selectAll().where('project_id', '=', projectId);
}

export async function findAgent(db: Db, projectId: string, id: string): Promise<AgentRow | undefined> {
  return agentsOf(db, projectId).where('id', '=', id).executeTakeFirst();
}

export function versionsOf(db: Db, agentId: string) {
  return db.selectFrom('agent_versions').selectAll().where('agent_id', '=', agentId);
}

export async function findVersion(db: Db, projectId: string, id: string): Promise<AgentVersionRow | undefined> {
  return db
    .selectFrom('agent_versions')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findVersions(db: Db, ids: string[]): Promise<Map<string, AgentVersionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('agent_versions').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function lastVersionNumber(db: Db, agentId: string): Promise<number> {
  const row = await db
    .selectFrom('agent_versions')
    .select((eb) => eb.fn.max<number>('number').as('n'))
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function updateAgent(
  db: Db,
  id: string,
  changes: Partial<Pick<AgentRow, 'name' | 'modified_at' | 'published_version_id'>>,
): Promise<void> {
  await db
    .updateTable('agents')
    .set(withDbInstants(db, changes, ['modified_at']))
    .where('id', '=', id)
    .execute();
}

export async function updateVersion(
  db: Db,
  id: string,
  changes: Pick<AgentVersionRow, 'config' | 'mode' | 'modified_at'>,
): Promise<void> {
  await db
    .updateTable('agent_versions')
    .set(withDbInstants(db, changes, ['modified_at']))
    .where('id', '=', id)
    .execute();
}

export async function deleteVersion(db: Db, id: string): Promise<void> {
  await db.deleteFrom('agent_versions').where('id', '=', id).execute();
}

export async function deleteAgent(db: Db, id: string): Promise<void> {
  await db.deleteFrom('agent_versions').where('agent_id', '=', id).execute();
  await db.deleteFrom('agents').where('id', '=', id).execute();
}
