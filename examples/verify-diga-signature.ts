import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies a Diga webhook delivery. `rawBody` must be the request body exactly as received
 * (bytes or string), before any JSON parsing; `header` is the `Diga-Signature` header; `secret`
 * the webhook's signing secret (`whsec_…`). Rejects signatures older than `toleranceSeconds`
 * (5 minutes by default), so a captured delivery cannot be replayed later.
 */
export function verifyDigaSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;

  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
