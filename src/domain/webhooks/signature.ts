import { createHmac, randomBytes } from 'node:crypto';

/**
 * `Diga-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
 * webhook's signing secret (the whole `whsec_…` string). docs/WEBHOOKS.md shows how to verify it.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

/** A new signing secret: `whsec_` and 256 random bits in hex. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}
