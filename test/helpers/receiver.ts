import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from './poll.js';

export interface Received {
  /** The request's path and query: which webhook it was sent for. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request. `answer` decides each response:
 * a status code, or 'hang' to hold the request open until release(). down()/up() close and
 * reopen the listening socket on the same port (connection refused in between).
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received) => number | 'hang' = () => 200;
  private server = http.createServer((req, res) => this.handle(req, res));
  private hanging: http.ServerResponse[] = [];
  private port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/diga`;
  }

  /** Answers every held request with `status`. */
  release(status = 200): void {
    for (const res of this.hanging.splice(0)) res.writeHead(status).end();
  }

  get pending(): number {
    return this.hanging.length;
  }

  async down(): Promise<void> {
    this.release(503);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async up(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.down();
  }

  /** Resolves when `ok` holds for what has been received, or fails after `ms`. */
  async until(ok: (received: Received[]) => boolean, ms = 20_000): Promise<void> {
    await pollUntil('the receiver got what was expected', () => this.received, ok, { timeoutMs: ms });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { url: req.url ?? '', headers: req.headers, body };
      this.received.push(request);
      const answer = this.answer(request);
      if (answer === 'hang') this.hanging.push(res);
      else res.writeHead(answer).end();
    });
  }
}
