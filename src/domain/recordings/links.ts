import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/database.js';
import { settingOrCreate } from '../../store/settings-repo.js';

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/**
 * Short-lived signed URLs for stored recordings: `…/v1/recording/{call_id}/audio?expires=<unix
 * seconds>&signature=<hex HMAC-SHA256 over "<call_id>.<expires>">`. Whoever holds the URL may
 * fetch the audio until it expires, without an API key, as with S3 presigned URLs. The key is
 * generated once per store and shared by every process; deleting the `recording_url_key`
 * setting (and restarting) revokes every URL issued.
 */
export class RecordingLinks {
  private constructor(
    private readonly key: Buffer,
    readonly ttlSeconds: number,
  ) {}

  static async load(db: Db, ttlSeconds: number): Promise<RecordingLinks> {
    const key = await settingOrCreate(db, 'recording_url_key', () => randomBytes(32).toString('hex'));
    return new RecordingLinks(Buffer.from(key, 'hex'), ttlSeconds);
  }

  /** A URL under `baseUrl` (scheme and host, no trailing slash) valid for ttlSeconds from now. */
  urlFor(baseUrl: string, callId: string, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    return `${baseUrl}/v1/recording/${callId}/audio?expires=${expires}&signature=${this.sign(callId, expires)}`;
  }

  check(callId: string, expires: string | undefined, signature: string | undefined, nowMs = Date.now()): LinkCheck {
    if (expires === undefined || signature === undefined || !/^\d{1,12}$/.test(expires)) return 'invalid';
    if (!/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
    const expected = Buffer.from(this.sign(callId, Number(expires)), 'hex');
    // Constant-time: the comparison must not tell an attacker how much of a guess was right.
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    return Number(expires) * 1000 <= nowMs ? 'expired' : 'valid';
  }

  private sign(callId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${callId}.${expires}`).digest('hex');
  }
}
