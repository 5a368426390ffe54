/** Diga's `Permission` enum (spec/diga-openapi-subset.json), in the reference's order. */
export const PERMISSIONS = [
  'companies.delete',
  'companies.update',
  'calls.create',
  'calls.delete',
  'calls.update',
  'calls.view',
  'messages.view',
  'agents.view',
  'agents.create',
  'agents.update',
  'agents.delete',
  'phones.view',
  'phones.purchase',
  'phones.delete',
  'phones.update',
  'phones.import',
  'tools.view',
  'tools.create',
  'tools.delete',
  'tools.update',
  'contacts.view',
  'contacts.delete',
  'conversational_paths.view',
  'conversational_paths.create',
  'conversational_paths.delete',
  'conversational_paths.update',
  'knowledge_bases.view',
  'knowledge_bases.create',
  'knowledge_bases.delete',
  'knowledge_bases.update',
  'webhooks.view',
  'webhooks.create',
  'webhooks.delete',
  'webhooks.update',
  'members.view',
  'members.create',
  'members.delete',
  'members.update',
  'billing.view',
  'billing.update',
  'api_keys.view',
  'api_keys.create',
  'api_keys.delete',
  'api_keys.update',
  'voices.view',
  'transcriptions.view',
  'recordings.view',
  'stats.view',
  'verifications.create',
  'verifications.view',
  'notifications.view',
  'notifications.update',
  'logs.view',
  'integrations.view',
  'integrations.create',
  'integrations.update',
  'integrations.delete',
  'workflows.view',
  'workflows.create',
  'workflows.update',
  'workflows.delete',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

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
