import assert from 'node:assert/strict';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pollUntil } from '../helpers/poll.js';
import { startServerProcess, tempDir, type ServerProcess } from '../helpers/processes.js';

const FD_LIMIT = 300;
const FLOOD = 400;

/** GET /healthz on a new connection from `localAddress`: its status, or why there was none within 5 s. */
function healthz(port: number, localAddress: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/healthz', localAddress, agent: false, timeout: 5000 },
      (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', (error) => resolve(error.message));
  });
}

/**
 * A server short of file descriptors (ulimit -n 300) is flooded with idle connections from one
 * address, 127.0.0.1; clients at another, 127.0.0.2, must still be answered. Without caps the
 * flood takes every descriptor and the server accepts nothing else until the flood's connections
 * time out.
 */
describe('connection caps, over real sockets to a server under ulimit -n 300', () => {
  const dir = tempDir();
  let server: ServerProcess;
  let port: number;
  const flood: Socket[] = [];
  let closed = 0;
  let settled = 0;

  before(async () => {
    server = await startServerProcess(
      { DIGA_DATABASE_URL: join(dir.path, 'diga.db'), DIGA_WEBHOOK_WORKER: 'false' },
      { fdLimit: FD_LIMIT },
    );
    port = Number(new URL(server.base).port);
  });
  after(async () => {
    for (const socket of flood) socket.destroy();
    await server.stop();
    dir.remove();
  });

  test('derives its caps from the open-file limit: 300 - 64 - 10 (the pool) = 226, a quarter per address', () => {
    assert.match(server.output(), /"connections":\{"max":226,"perAddress":56\}/);
  });

  test('one address flooding it with connections does not keep /healthz from answering another', async () => {
    for (let i = 0; i < FLOOD; i += 1) {
      const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
      let done = false;
      const settle = () => {
        if (!done) settled += 1;
        done = true;
      };
      socket.on('connect', settle);
      socket.on('error', settle);
      socket.on('close', () => {
        settle();
        closed += 1;
      });
      flood.push(socket);
    }
    await pollUntil(
      'every flood connection was made or refused',
      () => settled,
      (n) => n === FLOOD,
    );

    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await healthz(port, '127.0.0.2'));
    assert.deepEqual(answers, [200, 200, 200]);

    // All but the address's share were closed as soon as they were accepted.
    const open = await pollUntil(
      'the connections over the cap were closed',
      () => FLOOD - closed,
      (n) => n <= 56,
    );
    assert.equal(open, 56);
    assert.match(String(await healthz(port, '127.0.0.1')), /ECONNRESET|hang up/, 'the flooding address is at its cap');

    for (const socket of flood) socket.destroy();
    await pollUntil(
      'the flooding address is served again once its connections are gone',
      () => healthz(port, '127.0.0.1'),
      (status) => status === 200,
    );
  });
});
