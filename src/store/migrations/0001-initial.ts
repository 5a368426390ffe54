import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('projects')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('last_four_digits', 'text', (c) => c.notNull())
    .addColumn('restricted', 'integer', (c) => c.notNull())
    .addColumn('permissions', 'text')
    .addColumn('creator_id', t.id, (c) => c.notNull())
    .addColumn('expires_at', t.instant)
    .addColumn('revoked_at', t.instant)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_by_project').on('api_keys').columns(['project_id', 'created_date']).execute();

  await db.schema
    .createTable('runtime_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('revoked_at', t.instant)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agents')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agent_versions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('agent_id', t.id, (c) => c.notNull().references('agents.id'))
    .addColumn('name', 'text')
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('phone_registers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('contact_type', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addUniqueConstraint('contacts_identity', ['project_id', 'contact_type', 'identifier'])
    .execute();

  // The projection GET /v1/call/{id} reads; rebuilt from call_events, never edited by hand.
  // agent, version and phone ids are what the runtime reported: not foreign keys, because the
  // runtime may report a call for an agent this service has not been told about.
  await db.schema
    .createTable('calls')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id'))
    .addColumn('agent_id', t.id)
    .addColumn('agent_version_id', t.id)
    .addColumn('phone_register_id', t.id)
    .addColumn('recording_url', 'text')
    .addColumn('start_time', t.instant)
    .addColumn('end_time', t.instant)
    .addColumn('duration', 'integer')
    .addColumn('end_reason', 'text')
    .addColumn('dynamic_variables', t.json)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_by_project').on('calls').columns(['project_id', 'created_date', 'id']).execute();

  // Append-only log of everything the runtime reported; the source of truth for calls.
  await db.schema
    .createTable('call_events')
    .addColumn('event_id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', t.instant, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('received_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_events_by_call').on('call_events').columns(['call_id', 'type']).execute();

  await db.schema
    .createTable('call_messages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('tool_call', t.json)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('call_messages_by_call')
    .on('call_messages')
    .columns(['call_id', 'created_date', 'id'])
    .execute();
}
