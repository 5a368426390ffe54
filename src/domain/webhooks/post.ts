import http from 'node:http';
import https from 'node:https';
import { ForbiddenDestinationError, hostOf, vettedAddresses, type Resolver, type UrlPolicy } from './url-policy.js';

export interface PostOutcome {
  /** The receiver's status, or null when there was no HTTP answer. */
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

/**
 * POSTs one webhook body. Connects to an address vetted by the URL policy (the name is resolved
 * once, here, and TLS still checks the certificate against the name), never follows redirects,
 * gives up after `timeoutMs`, and reads at most a little of the answer.
 */
export async function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: UrlPolicy; resolve: Resolver },
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(target);
  let address: { address: string; family: number };
  try {
    [address] = (await vettedAddresses(hostOf(url), options.policy, options.resolve)) as [typeof address];
  } catch (error) {
    const message = error instanceof ForbiddenDestinationError ? error.message : `DNS: ${(error as Error).message}`;
    return { statusCode: null, error: message, latencyMs: elapsed() };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      {
        host: address.address,
        family: address.family,
        servername: url.hostname,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 64 * 1024) response.destroy();
        });
        const done = () => resolve({ statusCode: response.statusCode ?? null, error: null, latencyMs: elapsed() });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    request.on('error', (error) =>
      resolve({
        statusCode: null,
        error: error.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : error.message,
        latencyMs: elapsed(),
      }),
    );
    request.end(body);
  });
}
