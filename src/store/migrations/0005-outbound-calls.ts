import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Outbound calls (issue 7): phones and agents become full resources, calls placed through the
 * API wait as dial jobs until a voice runtime claims them, and Idempotency-Key remembers which
 * call a retried request already placed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  // Per-project plan settings; null: the server's defaults (config.ts).
  await db.schema.alterTable('projects').addColumn('max_concurrent_calls', 'integer').execute();
  await db.schema.alterTable('projects').addColumn('allowed_country_codes', 'text').execute();

  await db.schema.alterTable('agents').addColumn('modified_at', t.instant).execute();
  await db.schema.alterTable('agents').addColumn('published_version_id', t.id).execute();
  await db.schema.alterTable('agents').addColumn('draft_version_id', t.id).execute();

  // A version's configuration is kept as the customer gave it (with the reference's defaults):
  // only the voice runtime acts on it.
  await db.schema
    .alterTable('agent_versions')
    .addColumn('number', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('agent_versions')
    .addColumn('is_draft', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('agent_versions')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('free'))
    .execute();
  await db.schema
    .alterTable('agent_versions')
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.alterTable('agent_versions').addColumn('modified_at', t.instant).execute();
  await db.schema
    .createIndex('agent_versions_by_agent')
    .on('agent_versions')
    .columns(['agent_id', 'created_date', 'id'])
    .execute();
  await db.schema.createIndex('agents_by_project').on('agents').columns(['project_id', 'created_date', 'id']).execute();

  await db.schema.alterTable('phone_registers').addColumn('nickname', 'text').execute();
  await db.schema
    .alterTable('phone_registers')
    .addColumn('telephony_provider', 'text', (c) => c.notNull().defaultTo('custom'))
    .execute();
  await db.schema
    .alterTable('phone_registers')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('assigned'))
    .execute();
  await db.schema.alterTable('phone_registers').addColumn('assigned_at', t.instant).execute();
  await db.schema.alterTable('phone_registers').addColumn('inbound_version_id', t.id).execute();
  await db.schema.alterTable('phone_registers').addColumn('outbound_version_id', t.id).execute();
  // SipConfig as imported, the trunk password included: the runtime needs it to dial.
  await db.schema.alterTable('phone_registers').addColumn('sip_config', 'text').execute();
  await db.schema
    .createIndex('phone_registers_number')
    .on('phone_registers')
    .columns(['project_id', 'number'])
    .unique()
    .execute();
  await db.schema
    .createIndex('phone_registers_by_project')
    .on('phone_registers')
    .columns(['project_id', 'created_date', 'id'])
    .execute();

  // One job per placed call, written in the call's transaction: queued → claimed (leased to a
  // runtime) → confirmed (the runtime dialed). An expired lease makes a claimed job due again.
  await db.schema
    .createTable('dial_jobs')
    .addColumn('call_id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', t.instant)
    .addColumn('claimed_by', 'text')
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addColumn('confirmed_at', t.instant)
    .execute();
  await db.schema.createIndex('dial_jobs_due').on('dial_jobs').columns(['state', 'created_date']).execute();
  await db.schema.createIndex('dial_jobs_by_project').on('dial_jobs').columns(['project_id', 'state']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('project_id', t.id, (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['project_id', 'key'])
    .execute();
  // For the purge of keys past their 24 hours.
  await db.schema.createIndex('idempotency_keys_by_date').on('idempotency_keys').column('created_date').execute();
}
