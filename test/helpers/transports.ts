import { request, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** What a test reads of an answer, the same whichever way the request went. */
export interface Answer {
  statusCode: number;
  headers: OutgoingHttpHeaders;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface Sent {
  method?: string;
  url: string;
  headers?: Record<string, string>;
}

/** Sends one request to an app and reads the whole answer. */
export type Send = (sent: Sent) => Promise<Answer>;

/**
 * The two ways a test reaches an app. `inject` hands the request to Fastify in process, skipping
 * the node:http server and with it the GET fast path (call-fast-path.ts, in serverFactory).
 * `socket` sends it over a real connection to the app listening on 127.0.0.1, as clients do, so
 * the fast path answers what it can.
 */
export type Transport = 'inject' | 'socket';
export const TRANSPORTS: readonly Transport[] = ['inject', 'socket'];

/** A Send for `app` over `transport`; over a socket the app starts listening (app.close() stops it). */
export async function sendTo(app: FastifyInstance, transport: Transport): Promise<Send> {
  if (transport === 'inject') {
    return async ({ method = 'GET', url, headers = {} }) => {
      const response = await app.inject({ method: method as 'GET', url, headers });
      return {
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
        json: () => response.json(),
      };
    };
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return (sent) => overSocket(port, sent);
}

function overSocket(port: number, { method = 'GET', url, headers = {} }: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ statusCode: res.statusCode as number, headers: res.headers, body, json: () => JSON.parse(body) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
