import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as callsApi from './0002-calls-api.js';
import * as webhooks from './0003-webhooks.js';
import * as rateLimits from './0004-rate-limits.js';
import * as outboundCalls from './0005-outbound-calls.js';
import * as callViews from './0006-call-views.js';
import * as messagesByCall from './0007-messages-by-call.js';
import * as viewsTable from './0008-views-table.js';
import * as eventsKeyedByCall from './0009-events-keyed-by-call.js';
import * as renderMissingViews from './0010-render-missing-views.js';
import * as webhookFanOut from './0011-webhook-fan-out.js';
import * as webhookShowsRecordings from './0012-webhook-shows-recordings.js';
import * as oneHolderPerNumber from './0013-one-holder-per-number.js';

/** Every migration, numbered and forward-only. Add new ones at the end; never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-calls-api': callsApi,
  '0003-webhooks': webhooks,
  '0004-rate-limits': rateLimits,
  '0005-outbound-calls': outboundCalls,
  '0006-call-views': callViews,
  '0007-messages-by-call': messagesByCall,
  '0008-views-table': viewsTable,
  '0009-events-keyed-by-call': eventsKeyedByCall,
  '0010-render-missing-views': renderMissingViews,
  '0011-webhook-fan-out': webhookFanOut,
  '0012-webhook-shows-recordings': webhookShowsRecordings,
  '0013-one-holder-per-number': oneHolderPerNumber,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
