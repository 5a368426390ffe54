import { errors } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { schemaIsCurrent } from '../../store/migrate.js';

/**
 * Whether this instance can serve: the store answers and its schema is the one this build
 * expects. SERVICE_UNAVAILABLE for a schema behind or ahead of the build; a store that cannot be
 * reached throws its own error, which is a 503 as well (store-unavailable.ts).
 */
export async function assertReady(db: Db): Promise<void> {
  if (!(await schemaIsCurrent(db))) {
    throw errors.serviceUnavailable("The store's schema is not the one this build expects; run `diga-api migrate`");
  }
}
