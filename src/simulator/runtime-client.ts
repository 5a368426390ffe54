import type { RuntimeEvent } from '../contract/events.js';
import type { ClaimedJob } from '../domain/dialing/dial-jobs.js';
import type { InboundRoute } from '../domain/dialing/inbound-route.js';

/**
 * The internal API as a voice runtime uses it. Requests that fail for a passing reason (network,
 * 5xx, 429) are retried with backoff; every write carries its own ids, so a retry is harmless.
 */
export class RuntimeClient {
  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  async claim(maxJobs: number, waitMs: number, runtimeId: string): Promise<ClaimedJob[]> {
    const body = await this.json('POST', '/internal/v1/dial-jobs/claim', {
      max_jobs: maxJobs,
      wait_ms: waitMs,
      runtime_id: runtimeId,
    });
    return (body as { jobs: ClaimedJob[] }).jobs;
  }

  /** false when another claim holds the job now (its lease ran out): leave the call alone. */
  async confirm(jobId: string, leaseToken: string): Promise<boolean> {
    const response = await this.send(
      'POST',
      `/internal/v1/dial-jobs/${jobId}/confirm`,
      jsonBody({ lease_token: leaseToken }),
    );
    if (response.status === 409 || response.status === 404) return false;
    await expectOk(response);
    return true;
  }

  async report(events: RuntimeEvent[]): Promise<void> {
    await this.json('POST', '/internal/v1/events', { events });
  }

  async uploadRecording(callId: string, wav: Buffer): Promise<void> {
    await expectOk(await this.send('POST', `/internal/v1/calls/${callId}/recording`, { body: wav, type: 'audio/wav' }));
  }

  async inboundRoute(phoneId: string): Promise<InboundRoute> {
    return (await this.json('GET', `/internal/v1/phones/${phoneId}/inbound-route`)) as InboundRoute;
  }

  private async json(method: string, path: string, body?: object): Promise<unknown> {
    const response = await this.send(method, path, body === undefined ? undefined : jsonBody(body));
    await expectOk(response);
    return response.json();
  }

  private async send(method: string, path: string, body?: { body: string | Buffer; type: string }): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await fetch(`${this.server}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body === undefined ? {} : { 'content-type': body.type }),
          },
          body: body?.body,
        });
        const passing = response.status === 429 || response.status >= 500;
        if (!passing || attempt >= 8) return response;
        await response.arrayBuffer();
        const retryAfter = Number(response.headers.get('retry-after') ?? 0) * 1000;
        await sleep(Math.max(retryAfter, backoff(attempt)));
      } catch (error) {
        if (attempt >= 8) throw error;
        await sleep(backoff(attempt));
      }
    }
  }
}

function jsonBody(value: object) {
  return { body: JSON.stringify(value), type: 'application/json' };
}

async function expectOk(response: Response): Promise<void> {
  if (response.ok) return;
  throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
}

const backoff = (attempt: number) => Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
