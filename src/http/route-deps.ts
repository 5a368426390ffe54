import type { Db } from '../store/database.js';

/** What every route plugin is given. */
export interface RouteDeps {
  db: Db;
}
