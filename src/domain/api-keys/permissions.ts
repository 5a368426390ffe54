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

/**
 * Response fields guarded by a permission of their own, beyond the one their route needs: a
 * recording_url downloads the audio, which GET /v1/recording/{id} guards with recordings.view,
 * so every body that carries one (a call, a webhook's event) shows it only to a reader who holds
 * that permission.
 */
export const FIELD_PERMISSIONS = { recording_url: 'recordings.view' } as const satisfies Record<string, Permission>;

export type GuardedField = keyof typeof FIELD_PERMISSIONS;

/** Whether `grant` may see `field` in a body its route already lets it read. */
export function showsField(grant: Grant, field: GuardedField): boolean {
  return allows(grant, FIELD_PERMISSIONS[field]);
}
