import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Credential values: `sk-` + 64 hex for project API keys, `rt-` + 64 hex for runtime tokens.
 * Only a digest is stored: HMAC-SHA256 keyed with the server-side pepper (DIGA_SECRET_PEPPER)
 * when one is configured, else plain SHA-256. The values carry 256 random bits, so neither
 * digest can be reversed or guessed; the pepper adds that a copy of the database alone cannot
 * even confirm a leaked key. Looking a credential up by its digest compares no secret bytes in
 * user-visible time.
 */
export const API_KEY_PATTERN = /^sk-[0-9a-f]{64}$/;
export const RUNTIME_TOKEN_PATTERN = /^rt-[0-9a-f]{64}$/;

export interface NewSecret {
  value: string;
  hash: string;
  lastFour: string;
}

export function generateApiKey(): NewSecret {
  return newSecret('sk-');
}

export function generateRuntimeToken(): NewSecret {
  return newSecret('rt-');
}

let pepper: Buffer | undefined;

/**
 * Set once at start (server and CLI) from the configuration. Process-wide on purpose: every
 * place that digests a credential must agree, and there is one pepper per deployment.
 */
export function useSecretPepper(value: string | undefined): void {
  pepper = value === undefined ? undefined : Buffer.from(value, 'utf8');
}

export function pepperInUse(): boolean {
  return pepper !== undefined;
}

/** The digest a credential is stored and looked up under. */
export function hashSecret(value: string): string {
  return pepper === undefined ? unpepperedDigest(value) : createHmac('sha256', pepper).update(value).digest('hex');
}

/** What credentials made before a pepper was configured are stored under (see credentials.ts). */
export function unpepperedDigest(value: string): string {
  // The one-shot digest: cheaper than a createHash object, and it runs on every request.
  return hash('sha256', value, 'hex');
}

/**
 * The store found the row by its digest; this compares the two digests again in constant time,
 * so no code path compares credential material byte by byte with an early exit.
 */
export function sameDigest(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(computed, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function newSecret(prefix: string): NewSecret {
  const value = prefix + randomBytes(32).toString('hex');
  return { value, hash: hashSecret(value), lastFour: value.slice(-4) };
}
