import type { Db } from '../../store/database.js';
import { findDialSettings } from '../../store/projects-repo.js';
import { SPAIN } from '../phones/phone-numbers.js';

/** The server's defaults for outbound calls; a project's own settings override the first two. */
export interface DialingOptions {
  /** Calls of one project a runtime may hold at once (dialing or in progress); more wait queued. */
  maxConcurrentCalls: number;
  /** Calling codes `to_number` may have besides Spain's. */
  allowedCountryCodes: readonly string[];
  /** How long a claimed job is the claimer's before it is offered again, in milliseconds. */
  leaseMs: number;
  /** Claims of one job before the call is given up as failed. */
  maxAttempts: number;
}

export const DEFAULT_DIALING: DialingOptions = {
  maxConcurrentCalls: 10,
  allowedCountryCodes: [SPAIN],
  leaseMs: 30_000,
  maxAttempts: 3,
};

export interface ProjectDialSettings {
  maxConcurrentCalls: number;
  allowedCountryCodes: readonly string[];
}

export async function dialSettingsOf(
  db: Db,
  projectIds: string[],
  defaults: DialingOptions,
): Promise<Map<string, ProjectDialSettings>> {
  const rows = await findDialSettings(db, projectIds);
  return new Map(
    projectIds.map((id) => {
      const row = rows.get(id);
      return [
        id,
        {
          maxConcurrentCalls: row?.max_concurrent_calls ?? defaults.maxConcurrentCalls,
          allowedCountryCodes:
            row?.allowed_country_codes == null
              ? defaults.allowedCountryCodes
              : (JSON.parse(row.allowed_country_codes) as string[]),
        },
      ];
    }),
  );
}
