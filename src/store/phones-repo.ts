import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { PhoneRegistersTable } from './schema.js';

export type PhoneRow = PhoneRegistersTable;

export type Direction = 'inbound' | 'outbound';
const bindingColumn = (direction: Direction) =>
  direction === 'inbound' ? ('inbound_version_id' as const) : ('outbound_version_id' as const);

/**
 * Inserts the phone unless its number is held already (by any project; released and finished
 * numbers are not held): the unique index on routing_key decides, so of two concurrent imports
 * one wins on either store. False when the number was taken.
 */
export async function insertPhoneIfNumberFree(db: Db, row: PhoneRow): Promise<boolean> {
  const result = await db
    .insertInto('phone_registers')
    .values(withDbInstants(db, row, ['created_date', 'assigned_at']))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

/** The phone that holds a number, in whichever project: a number routes to one project. */
export async function findPhoneHolding(db: Db, routingKey: string): Promise<PhoneRow | undefined> {
  return db
    .selectFrom('phone_registers')
    .selectAll()
    .where('routing_key', '=', routingKey)
    .where('status', 'not in', ['released', 'finished'])
    .executeTakeFirst();
}

export function phonesOf(db: Db, projectId: string) {
  return db.selectFrom('phone_registers').selectAll().where('project_id', '=', projectId);
}

export async function findPhone(db: Db, projectId: string, id: string): Promise<PhoneRow | undefined> {
  return phonesOf(db, projectId).where('id', '=', id).executeTakeFirst();
}

export async function findPhoneByNumber(db: Db, projectId: string, number: string): Promise<PhoneRow | undefined> {
  return phonesOf(db, projectId).where('number', '=', number).executeTakeFirst();
}

export async function updatePhone(
  db: Db,
  id: string,
  changes: Partial<Pick<PhoneRow, 'nickname' | 'inbound_version_id' | 'outbound_version_id'>>,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('phone_registers').set(changes).where('id', '=', id).execute();
}

export async function deletePhone(db: Db, id: string): Promise<void> {
  await db.deleteFrom('phone_registers').where('id', '=', id).execute();
}

/** Phones other than `exceptPhoneId` bound (either way) to one of the agent's versions. */
export async function phonesBoundToAgent(db: Db, agentId: string, exceptPhoneId = ''): Promise<PhoneRow[]> {
  const versions = db.selectFrom('agent_versions').select('id').where('agent_id', '=', agentId);
  return db
    .selectFrom('phone_registers')
    .selectAll()
    .where((eb) => eb.or([eb('inbound_version_id', 'in', versions), eb('outbound_version_id', 'in', versions)]))
    .where('id', '!=', exceptPhoneId)
    .execute();
}

/** Moves every binding to any of the agent's versions onto `versionId` (null: unbinds them). */
export async function rebindAgent(db: Db, agentId: string, versionId: string | null): Promise<void> {
  const versions = db.selectFrom('agent_versions').select('id').where('agent_id', '=', agentId);
  for (const direction of ['inbound', 'outbound'] as const) {
    const column = bindingColumn(direction);
    await db
      .updateTable('phone_registers')
      .set({ [column]: versionId })
      .where(column, 'in', versions)
      .execute();
  }
}

export async function bindPhone(db: Db, phoneId: string, direction: Direction, versionId: string): Promise<void> {
  await db
    .updateTable('phone_registers')
    .set({ [bindingColumn(direction)]: versionId })
    .where('id', '=', phoneId)
    .execute();
}

/** For the runtime's internal API, which serves every project. */
export async function findPhoneById(db: Db, id: string): Promise<PhoneRow | undefined> {
  return db.selectFrom('phone_registers').selectAll().where('id', '=', id).executeTakeFirst();
}
