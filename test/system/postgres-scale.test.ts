import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RuntimeEvent } from '../../src/contract/events.js';
import { migrations } from '../../src/store/migrations/index.js';
import { mulberry32, simulateCalls } from '../../src/demo/simulate-calls.js';
import { buildTestApp, getCallAs, postEvents } from '../helpers/app.js';
import { createTestDatabase, postgresAdminUrl } from '../helpers/backends.js';
import { getCallFrom, inParallel, postEventsTo } from '../helpers/http.js';
import { runCli, runServerToExit, startServerProcess, type ServerProcess } from '../helpers/processes.js';
import { seededDatabase, type SeededDatabase } from '../helpers/seeded-database.js';

/** Many API processes over one PostgreSQL database. */
const skip = postgresAdminUrl ? false : 'PostgreSQL suite skipped: DIGA_TEST_DATABASE_URL is not set';

describe('scale-out on PostgreSQL [postgres]', { skip }, () => {
  test('N instances migrating at once apply each migration exactly once', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => runCli(['migrate', '--json'], { DIGA_DATABASE_URL: database.url })),
      );
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const applied = runs.map((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
      assert.deepEqual(applied.flat().sort(), Object.keys(migrations), 'every migration applied once');
      assert.equal(
        applied.filter((a) => a.length > 0).length,
        1,
        `exactly one instance applied them: ${JSON.stringify(applied)}`,
      );
    } finally {
      await database.drop();
    }
  });

  test('production does not migrate on start unless told to', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const refused = await runServerToExit({ DIGA_DATABASE_URL: database.url });
      assert.equal(refused.code, 1);
      assert.ok(
        refused.stderr.includes(
          `lacks migrations ${Object.keys(migrations).join(', ')}: run \`diga-api migrate\` first`,
        ),
      );
      const server = await startServerProcess({ DIGA_DATABASE_URL: database.url, DIGA_AUTO_MIGRATE: 'true' });
      assert.equal(await server.stop(), 0);
    } finally {
      await database.drop();
    }
  });

  describe('two server processes racing on the same calls', () => {
    let db: SeededDatabase;
    let servers: ServerProcess[] = [];
    before(async () => {
      db = await seededDatabase('postgres');
      servers = await Promise.all([1, 2].map(() => startServerProcess({ DIGA_DATABASE_URL: db.url })));
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await db.drop();
    });

    test('converge to exactly what one in-order stream gives', async () => {
      const calls = [...simulateCalls({ projectId: db.projectId, calls: 60, seed: 42, maxMessages: 4 })];
      const events = calls.flatMap((c) => c.events);

      // The reference: the same events, in order, into a fresh SQLite store.
      const reference = await buildTestApp();
      const inOrder = [...events]
        .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.event_id.localeCompare(b.event_id))
        .map((e) => ({ ...e, project_id: reference.projectA }));
      assert.equal((await postEvents(reference.app, reference.runtimeToken, inOrder)).statusCode, 200);

      // Each process gets every event, shuffled differently, a third of them twice, in small
      // batches, sent eight at a time: the same calls are written by both processes at once.
      const deliveries = servers.map((server, i) => {
        const random = mulberry32(1000 + i);
        const stream = shuffle([...events, ...events.filter(() => random() < 0.33)], random);
        const batches: RuntimeEvent[][] = [];
        for (let at = 0; at < stream.length;) {
          const size = 1 + Math.floor(random() * 12);
          batches.push(stream.slice(at, at + size));
          at += size;
        }
        return batches.map((batch) => () => postEventsTo(server.base, db.runtimeToken, batch));
      });
      const interleaved = deliveries[0]!
        .flatMap((task, i) => [task, deliveries[1]![i]])
        .filter(Boolean) as (() => Promise<{ status: number; body: string }>)[];
      const rest = deliveries[1]!.slice(deliveries[0]!.length);
      const results = await inParallel([...interleaved, ...rest], 8);
      for (const result of results) assert.equal(result.status, 200, result.body);

      for (const call of calls) {
        const expected = (await getCallAs(reference.app, reference.keyA, call.callId)).json();
        for (const server of servers) {
          const got = await getCallFrom(server.base, db.apiKey, call.callId);
          assert.equal(got.status, 200, got.body);
          const body = JSON.parse(got.body);
          delete body.contact.id;
          delete expected.contact.id;
          assert.deepEqual(body, expected, `call ${call.callId}`);
        }
      }
      const count = async (table: 'call_events' | 'contacts' | 'call_messages') =>
        Number(
          (
            await db.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.equal(await count('call_events'), events.length, 'every event recorded once');
      const contacts = new Set(
        calls.map((c) => JSON.stringify((c.events[0] as { data: { contact: unknown } }).data.contact)),
      );
      assert.equal(await count('contacts'), contacts.size, 'no duplicate contact');
      await reference.close();
    });
  });
});

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
