import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';

export interface ProjectRow {
  id: string;
  name: string;
  created_date: number;
}

export async function insertProject(db: Db, row: ProjectRow): Promise<void> {
  await db
    .insertInto('projects')
    .values(withDbInstants(db, row, ['created_date']))
    .execute();
}

export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countProjects(db: Db): Promise<number> {
  const row = await db
    .selectFrom('projects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function firstProject(db: Db): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().orderBy('created_date').orderBy('id').limit(1).executeTakeFirst();
}

/** Which of the given project ids exist. */
export async function existingProjectIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('projects').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** A project's plan settings for outbound calls; null fields: the server's defaults. */
export interface DialSettingsRow {
  id: string;
  max_concurrent_calls: number | null;
  allowed_country_codes: string | null;
}

export async function findDialSettings(db: Db, ids: string[]): Promise<Map<string, DialSettingsRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'max_concurrent_calls', 'allowed_country_codes'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function updateDialSettings(
  db: Db,
  id: string,
  changes: Partial<Pick<DialSettingsRow, 'max_concurrent_calls' | 'allowed_country_codes'>>,
): Promise<void> {
  await db.updateTable('projects').set(changes).where('id', '=', id).execute();
}
