import { PERMISSIONS, type Permission } from '../../contract/api-keys.js';

const KNOWN = new Set<string>(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return KNOWN.has(value);
}

/** What a credential may do: `null` permissions means an unrestricted key. */
export interface Grant {
  permissions: ReadonlySet<Permission> | null;
}

export function allows(grant: Grant, permission: Permission): boolean {
  return grant.permissions === null || grant.permissions.has(permission);
}
