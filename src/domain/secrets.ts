import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Credential values: `sk-` + 64 hex for project API keys, `rt-` + 64 hex for runtime tokens.
 * Only a SHA-256 digest is stored. The values carry 256 random bits, so the digest cannot be
 * reversed or guessed, and looking a credential up by its digest compares no secret bytes in
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

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
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
