import type { Permission } from '../../contract/api-keys.js';
import { nowMicros, type Micros } from '../../kernel/time.js';
import { apiKeyErrors } from './errors.js';
import type { Principal } from './principal.js';

/** null (everything) for an unrestricted key; else the distinct permissions, in the order asked. */
export function grantOf(restricted: boolean, permissions: Permission[] | null | undefined): Permission[] | null {
  if (!restricted) return null;
  return [...new Set(permissions ?? [])];
}

/** Whether `permissions` (null: everything) are all among the caller's own. */
export function withinCaller(caller: Principal, permissions: Permission[] | null): boolean {
  if (caller.permissions === null) return true;
  const granted = caller.permissions;
  return permissions !== null && permissions.every((p) => granted.has(p));
}

/**
 * Whether a key expiring at `expiresAt` (null: never) stays within the caller's own expiry: a key
 * that expires may not extend itself, nor make or change a key that outlives it, as it may not
 * give one permissions beyond its own.
 */
export function withinCallerExpiry(caller: Principal, expiresAt: Micros | null): boolean {
  return caller.expiresAt === null || (expiresAt !== null && expiresAt <= caller.expiresAt);
}

/** Whether `permissions` grant nothing `than` does not (null: everything). */
export function narrowerOrEqual(permissions: Permission[] | null, than: Permission[] | null): boolean {
  if (than === null) return true;
  return permissions !== null && permissions.every((p) => than.includes(p));
}

/** A key a caller sets to expire must expire in the future (422 otherwise); null: never. */
export function assertFuture(expiresAt: Micros | null | undefined): void {
  if (expiresAt === undefined || expiresAt === null || expiresAt > nowMicros()) return;
  throw apiKeyErrors.expiryNotInFuture(expiresAt);
}
