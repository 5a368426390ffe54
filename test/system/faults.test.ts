import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { RuntimeEvent } from '../../src/contract/events.js';
import { callEvents } from '../helpers/events.js';
import { getCallFrom, postEventsTo, request } from '../helpers/http.js';
import { startServerProcess, tempDir, type ServerProcess } from '../helpers/processes.js';

const ROUNDS = Number(process.env.DIGA_FAULT_ROUNDS ?? 5);

/** The first start's banner: the credentials the tests use. */
function credentialsOf(server: ServerProcess) {
  const output = server.output();
  return {
    apiKey: /API key\s+(sk-[0-9a-f]{64})/.exec(output)?.[1] as string,
    runtimeToken: /runtime token\s+(rt-[0-9a-f]{64})/.exec(output)?.[1] as string,
    projectId: /project\s+([0-9a-f-]{36})/.exec(output)?.[1] as string,
  };
}

/** A batch of `calls` complete calls: created, answered, one message, ended. */
function batchOf(projectId: string, calls: number): { ids: string[]; events: RuntimeEvent[] } {
  const ids: string[] = [];
  const events: RuntimeEvent[] = [];
  for (let i = 0; i < calls; i += 1) {
    const e = callEvents(projectId, randomUUID(), Date.parse('2026-11-20T10:00:00Z') + i * 1000);
    ids.push(e.callId);
    events.push(e.created(0), e.answered(2), e.message(3, 'user', `batch message ${i}`), e.ended(30));
  }
  return { ids, events };
}

describe('faults: the process killed mid-ingestion', () => {
  test(`SIGKILL during a stream of batches, ${ROUNDS} times: every acknowledged batch whole, none half-applied`, async (t) => {
    const dir = tempDir();
    const databaseUrl = join(dir.path, 'diga.db');
    const env = { DIGA_DATABASE_URL: databaseUrl, DIGA_WEBHOOK_WORKER: 'false' };
    let server = await startServerProcess(env);
    const { projectId, runtimeToken, apiKey } = credentialsOf(server);
    const acknowledged: { ids: string[]; eventIds: string[] }[] = [];
    const unanswered: { eventIds: string[] }[] = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        let killed = false;
        const sender = async () => {
          while (!killed) {
            const batch = batchOf(projectId, 25);
            const eventIds = batch.events.map((e) => e.event_id);
            try {
              const answer = await postEventsTo(server.base, runtimeToken, batch.events);
              if (answer.status === 200) acknowledged.push({ ids: batch.ids, eventIds });
              else assert.fail(`a batch got ${answer.status}: ${answer.body}`);
            } catch {
              unanswered.push({ eventIds }); // the connection died with the process
            }
          }
        };
        const senders = [sender(), sender(), sender()];
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
        await server.stop('SIGKILL');
        killed = true;
        await Promise.all(senders);
        server = await startServerProcess(env);
      }
      await server.stop();

      const db = new Database(databaseUrl);
      try {
        const present = db
          .prepare('SELECT count(*) FROM call_events WHERE event_id IN (SELECT value FROM json_each(?))')
          .pluck();
        for (const batch of acknowledged) {
          assert.equal(
            present.get(JSON.stringify(batch.eventIds)),
            batch.eventIds.length,
            'an acknowledged batch is whole',
          );
        }
        for (const batch of unanswered) {
          const count = present.get(JSON.stringify(batch.eventIds)) as number;
          assert.ok(
            count === 0 || count === batch.eventIds.length,
            `a batch half-applied: ${count} of ${batch.eventIds.length}`,
          );
        }
      } finally {
        db.close();
      }
      server = await startServerProcess(env);
      for (const batch of acknowledged.filter((_, i) => i % 10 === 0)) {
        const answer = await getCallFrom(server.base, apiKey, batch.ids[batch.ids.length - 1] as string);
        assert.equal(answer.status, 200);
        assert.equal((JSON.parse(answer.body) as { status: string }).status, 'completed');
      }
      assert.ok(acknowledged.length >= ROUNDS, `batches were acknowledged (${acknowledged.length})`);
      t.diagnostic(
        `faults: ${ROUNDS} SIGKILLs, ${acknowledged.length} acknowledged batches (${acknowledged.length * 100} events) all whole, ` +
          `${unanswered.length} unanswered batches each all-or-nothing, 0 lost`,
      );
    } finally {
      await server.stop('SIGKILL');
      dir.remove();
    }
  });
});

describe('faults: SIGTERM under keep-alive load', () => {
  test('in-flight requests finish, later ones get a 503 or a closed connection, the process exits in its grace period', async (t) => {
    const dir = tempDir();
    const server = await startServerProcess({
      DIGA_DATABASE_URL: join(dir.path, 'diga.db'),
      DIGA_WEBHOOK_WORKER: 'false',
      DIGA_SHUTDOWN_GRACE_MS: '3000',
      DIGA_RATE_LIMIT_PER_SECOND: '0',
      DIGA_PROJECT_RATE_LIMIT_PER_SECOND: '0',
    });
    const { apiKey, projectId, runtimeToken } = credentialsOf(server);
    const batch = batchOf(projectId, 5);
    assert.equal((await postEventsTo(server.base, runtimeToken, batch.events)).status, 200);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const outcomes = new Map<string, number>();
    const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    let stopped = false;
    const get = () =>
      new Promise<void>((resolve) => {
        const req = httpRequest(
          `${server.base}/v1/call/${batch.ids[0]}`,
          { agent, headers: { authorization: `Bearer ${apiKey}` } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => {
              JSON.parse(body); // every answer that arrives is whole
              count(String(res.statusCode));
              if (res.statusCode === 503) assert.equal(JSON.parse(body).error_code, 'SERVICE_UNAVAILABLE');
              resolve();
            });
            res.on('error', () => (count('cut mid-body'), resolve()));
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => (count(error.code ?? error.message), resolve()));
        req.end();
      });
    const loops = Array.from({ length: 8 }, async () => {
      while (!stopped) await get();
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const exitedAfter = Date.now() - signalled;
    stopped = true;
    await Promise.all(loops);
    agent.destroy();
    dir.remove();

    t.diagnostic(
      `SIGTERM under load: exited after ${exitedAfter} ms; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    assert.equal(code, 0);
    assert.ok(exitedAfter < 3000 + 2000, `exited ${exitedAfter} ms after SIGTERM`);
    assert.ok((outcomes.get('200') ?? 0) > 50, `load was served: ${JSON.stringify([...outcomes])}`);
    for (const what of outcomes.keys()) {
      assert.ok(
        ['200', '503', 'ECONNRESET', 'ECONNREFUSED', 'socket hang up'].includes(what),
        `unexpected outcome ${what}`,
      );
    }
    assert.equal(outcomes.get('cut mid-body'), undefined);
  });
});

/** Root with mount(8): a small tmpfs to fill. Elsewhere the test is skipped, and says why. */
function tmpfsAvailable(): string | false {
  const probe = mkdtempSync(join(tmpdir(), 'diga-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return false;
  } catch {
    return 'needs root and mount(8) to make a small tmpfs';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe('faults: the SQLite store out of disk space', { skip: tmpfsAvailable() }, () => {
  test('writes get a 503 saying why, reads keep working, and writes resume once space is freed', async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'diga-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint]);
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({
        DIGA_DATABASE_URL: join(dataDir, 'diga.db'),
        DIGA_WEBHOOK_WORKER: 'false',
      });
      const { apiKey, projectId, runtimeToken } = credentialsOf(server);
      const before = batchOf(projectId, 5);
      assert.equal((await postEventsTo(server.base, runtimeToken, before.events)).status, 200);
      const stillReadable = async () => {
        const answer = await getCallFrom(server!.base, apiKey, before.ids[0] as string);
        assert.equal(answer.status, 200, `reads keep working: ${answer.body}`);
        assert.equal((await request(`${server!.base}/healthz`)).status, 200);
      };
      const refused = (answer: { status: number; body: string; headers: Headers }, why: RegExp) => {
        assert.equal(answer.status, 503, `${answer.body}\n${server!.output().slice(-2000)}`);
        assert.equal(answer.headers.get('retry-after'), '1');
        const body = JSON.parse(answer.body) as { error_code: string; message: string };
        assert.equal(body.error_code, 'SERVICE_UNAVAILABLE');
        assert.match(body.message, why);
      };

      // Disk full: a filler file takes what is left of the tmpfs.
      const filler = join(mountPoint, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
      } catch {
        // dd stops with "No space left on device": the point
      }
      // The WAL's pages are reused once checkpointed, so a batch that fits in them needs no new
      // space and is stored; batches of 1,000 events go on until one needs the disk.
      let whileFull = batchOf(projectId, 250);
      let answer = await postEventsTo(server.base, runtimeToken, whileFull.events);
      for (let sent = 1; answer.status === 200 && sent < 20; sent += 1) {
        whileFull = batchOf(projectId, 250);
        answer = await postEventsTo(server.base, runtimeToken, whileFull.events);
      }
      refused(answer, /out of disk space/);
      await stillReadable();
      rmSync(filler);
      const retried = await postEventsTo(server.base, runtimeToken, whileFull.events);
      assert.equal(retried.status, 200, `writes resume once space is freed: ${retried.body}`);
      assert.equal((await getCallFrom(server.base, apiKey, whileFull.ids[249] as string)).status, 200);

      // (A read-only remount is refused while the server holds the files open for writing, so
      // "read-only" cannot be staged on a live store; SQLITE_READONLY is answered like this too.)
      assert.equal(server.child.exitCode, null, 'the server never stopped');
    } finally {
      await server?.stop('SIGKILL');
      execFileSync('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});
