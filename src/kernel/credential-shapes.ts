/**
 * Recognises a credential by what it looks like rather than by where it was put: a client may
 * paste a key into any query parameter, path segment or header, under any name, percent-encoded
 * once or several times. Whatever grants access must never be written to a log or echoed, so the
 * shapes are generous: an opaque token that is not a credential is redacted too.
 */

/** The shapes, each searched anywhere in a value once it is decoded. */
const SHAPES: readonly RegExp[] = [
  // This service's API keys (`sk-`) and runtime tokens (`rt-`), and other vendors' `sk-…` keys.
  /(?<![A-Za-z0-9])(?:sk|rt)[-_][A-Za-z0-9_-]{16,}/i,
  // An Authorization header's value pasted whole.
  /\b(?:bearer|basic)[\s+]+[A-Za-z0-9._~+/=-]{8,}/i,
  // Webhook signing secrets.
  /whsec_[A-Za-z0-9+/=_-]{16,}/,
  // Hex secrets and signatures (HMAC-SHA256, a key's random part); a hyphenated UUID is not one.
  /[0-9a-fA-F]{40,}/,
  // JSON Web Tokens.
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
];

/**
 * Base64 and base64url runs of 40 characters or more that mix upper case, lower case and digits,
 * as random bytes encoded so do; long hyphenated names and trace ids (lower case) are not caught.
 */
const TOKEN_RUN = /[A-Za-z0-9_+/=-]{40,}/g;

function hasMixedTokenRun(value: string): boolean {
  for (const [run] of value.matchAll(TOKEN_RUN)) {
    if (/[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run)) return true;
  }
  return false;
}

/** Enough rounds for any encoding a client could mean; more are treated as a credential. */
const MAX_DECODING_ROUNDS = 8;

/**
 * One round of percent-decoding that never fails: each `%XX` becomes that byte as a character
 * (a malformed sequence stays as it is). Only ASCII matters to the shapes above.
 */
export function percentDecodedOnce(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The value decoded until decoding changes nothing (at most MAX_DECODING_ROUNDS rounds). */
export function fullyDecoded(value: string): string {
  let current = value;
  for (let round = 0; round < MAX_DECODING_ROUNDS; round++) {
    const next = percentDecodedOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * Whether `value`, as sent or after any number of rounds of percent-decoding, holds anything
 * shaped like a key, token, secret or signature. A value still encoded after the last round is
 * counted as one: nobody encodes a harmless value nine times.
 */
export function looksLikeCredential(value: string): boolean {
  let current = value;
  for (let round = 0; round <= MAX_DECODING_ROUNDS; round++) {
    if (SHAPES.some((shape) => shape.test(current)) || hasMixedTokenRun(current)) return true;
    const next = percentDecodedOnce(current);
    if (next === current) return false;
    current = next;
  }
  return true;
}

/** Words that, ending a parameter's name, say its value is a secret whatever it looks like. */
const SENSITIVE_NAME =
  /(?:auth|authorization|bearer|token|key|apikey|secret|password|passwd|pwd|signature|sig|credentials?|session|sessionid|cookie|jwt)$/;

/**
 * Whether a parameter named `name` (as sent: encoded in any way, in any case, with any
 * separators, so `X-Api-Key`, `api_key` and `%73ignature` all count) carries a secret.
 */
export function isSensitiveName(name: string): boolean {
  const plain = fullyDecoded(name)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return plain === 'pass' || SENSITIVE_NAME.test(plain);
}

export const REDACTED = '[redacted]';
