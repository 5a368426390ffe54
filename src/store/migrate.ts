import { Migrator, type Kysely } from 'kysely';
import { migrationProvider, migrations } from './migrations/index.js';

export interface MigrationReport {
  applied: string[];
  current: string | undefined;
}

/**
 * Applies the migrations this build knows that the store lacks. A store that has applied a
 * migration this build does not know was written by a newer release: refuse rather than guess.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  await assertSchemaNotNewer(db);
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const all = await migrator.getMigrations();
  return { applied, current: all.filter((m) => m.executedAt).at(-1)?.name };
}

/** Names of known migrations not yet applied to the store. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  await assertSchemaNotNewer(db);
  const migrator = new Migrator({ db, provider: migrationProvider });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

export class SchemaTooNewError extends Error {
  constructor(unknown: string[]) {
    super(
      `The store's schema is newer than this build of diga-api: it has migrations ${unknown.join(', ')} that this build does not know. Upgrade diga-api before starting it on this store.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

async function assertSchemaNotNewer(db: Kysely<any>): Promise<void> {
  const unknown = (await appliedMigrations(db)).filter((name) => !(name in migrations));
  if (unknown.length > 0) throw new SchemaTooNewError(unknown);
}

/** Names of the migrations the store has applied; none for a store never migrated. */
async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  try {
    const rows = await (db as Kysely<{ kysely_migration: { name: string } }>)
      .selectFrom('kysely_migration')
      .select('name')
      .execute();
    return rows.map((r) => r.name);
  } catch (error) {
    // No migration table yet: a fresh store. Anything else (unreachable, …) propagates.
    if (/kysely_migration/.test(String((error as Error).message))) return [];
    throw error;
  }
}

/**
 * Whether the store answers and has exactly the migrations this build knows: one cheap query,
 * for readiness probes. Throws when the store cannot be reached.
 */
export async function schemaIsCurrent(db: Kysely<any>): Promise<boolean> {
  const applied = new Set(await appliedMigrations(db));
  const known = Object.keys(migrations);
  return applied.size === known.length && known.every((m) => applied.has(m));
}
