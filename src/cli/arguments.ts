import type { Permission } from '../contract/api-keys.js';
import { isPermission } from '../domain/api-keys/permissions.js';
import { EARLIEST_INSTANT_TEXT, LATEST_INSTANT_TEXT, readInstant } from '../kernel/time.js';
import { canonicalUuid } from '../kernel/uuid.js';
import type { CommandContext } from './context.js';
import { UsageError } from './usage-error.js';

export function requiredUuid(ctx: CommandContext, option: string): string {
  const raw = ctx.options[option];
  if (typeof raw !== 'string') throw new UsageError(`--${option} ID is required`);
  const id = canonicalUuid(raw);
  if (id === undefined) throw new UsageError(`--${option} must be a UUID, not "${raw}"`);
  return id;
}

export function parsePermissions(raw: unknown): Permission[] | null {
  if (typeof raw !== 'string') return null;
  const names = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = names.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw new UsageError(`unknown permission(s): ${unknown.join(', ')}`);
  return names as Permission[];
}

export function parseExpiry(raw: unknown): number | null {
  if (typeof raw !== 'string') return null;
  const at = readInstant(raw);
  if (at.ok) return at.micros;
  if (at.error === 'not_a_date_time') {
    throw new UsageError(`--expires must be an ISO 8601 date-time with an offset, not "${raw}"`);
  }
  throw new UsageError(`--expires must be from ${EARLIEST_INSTANT_TEXT} to ${LATEST_INSTANT_TEXT}, not "${raw}"`);
}

export function decimal(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

/** The options of `projects configure`; "default" returns a setting to the server's default. */
export function dialSettingsChanges(options: CommandContext['options']) {
  const changes: { max_concurrent_calls?: number | null; allowed_country_codes?: string | null } = {};
  const cap = options['max-concurrent-calls'];
  if (cap !== undefined) {
    changes.max_concurrent_calls = cap === 'default' ? null : wholeNumber(cap, 'max-concurrent-calls', 0, 1, 100_000);
  }
  const codes = options['allowed-country-codes'];
  if (typeof codes === 'string') {
    const list = codes
      .split(',')
      .map((c) => c.trim().replace(/^\+/, ''))
      .filter(Boolean);
    if (codes !== 'default' && list.some((c) => !/^[1-9]\d{0,2}$/.test(c))) {
      throw new UsageError('--allowed-country-codes must list calling codes such as 351,33 (or "default")');
    }
    changes.allowed_country_codes = codes === 'default' ? null : JSON.stringify([...new Set(['34', ...list])]);
  }
  return changes;
}

export function wholeNumber(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}
