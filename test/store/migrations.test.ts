import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { ingestEvents } from '../../src/domain/calls/ingest.js';
import { listCalls } from '../../src/domain/calls/list-calls.js';
import { listMessages } from '../../src/domain/calls/list-messages.js';
import { createProject } from '../../src/domain/projects/projects.js';
import { importPhone } from '../../src/domain/phones/import-phone.js';
import { findCall, findCallView } from '../../src/store/calls-repo.js';
import { servedView } from '../../src/domain/calls/call-views.js';
import { getCallView, type CallReader } from '../../src/domain/calls/get-call.js';
import { upsertRecording } from '../../src/store/recordings-repo.js';
import type { Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { dbInstant } from '../../src/store/dialect.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { FairClaim } from '../../src/domain/webhooks/claim.js';
import { FanOut } from '../../src/domain/webhooks/fan-out.js';
import type { RuntimeEvent } from '../../src/contract/events.js';
import { describeEachBackend, type BackendName } from '../helpers/backends.js';
import { callEvents } from '../helpers/events.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';

/**
 * A store written by an earlier release keeps everything when it is upgraded: migrations that
 * rebuild a table or move a column carry its rows over. Today's code writes today's schema, so
 * an older store is made either by writing only tables whose shape has not changed since, or by
 * undoing a migration by hand (its exact inverse, in the test).
 */
describeEachBackend('upgrading a store', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  test('0007 (messages keyed by call) keeps every message, in spoken order, and ingestion goes on', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    const { error } = await migrator.migrateTo('0006-call-views');
    assert.equal(error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const call = callEvents(projectId);
    // Messages alone touch only call_events and call_messages, whose columns 0007 keeps.
    const spoken = [
      call.message(5, 'assistant', 'Hola, ¿en qué puedo ayudarle?'),
      call.message(7, 'user', 'Quería una cita'),
      call.toolMessage(8, { function_name: 'book', payload: { day: 'jueves' }, status: 'success' }),
    ];
    await ingestEvents(store.db, spoken.toReversed());

    assert.deepEqual((await migrator.migrateTo('0007-messages-by-call')).error, undefined);
    await migrateToLatest(store.db);

    const later = call.message(9, 'assistant', 'Perfecto, el jueves');
    const result = await ingestEvents(store.db, [call.created(0), later, spoken[0]!]);
    assert.deepEqual(
      result.results.map((r) => r.status),
      ['accepted', 'accepted', 'duplicate'],
    );
    const page = await listMessages(store.db, projectId, call.callId, { limit: 100, order: 'asc' });
    assert.deepEqual(
      page.data.map((m) => [m.role, m.content]),
      [
        ['assistant', 'Hola, ¿en qué puedo ayudarle?'],
        ['user', 'Quería una cita'],
        ['tool', null],
        ['assistant', 'Perfecto, el jueves'],
      ],
    );
  });
});

describeEachBackend('upgrading a store to 0008 (views in their own table)', (backend) => {
  let store: Store;
  let migrator: Migrator;
  withUnmigratedStore(backend, (opened) => (store = opened));
  before(async () => {
    migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0008-views-table')).error, undefined);
  });

  /** The store as 0007 left it: each view back in its call's row, no call_views. */
  async function undo0008(): Promise<void> {
    await sql`ALTER TABLE calls ADD COLUMN view text`.execute(store.db);
    await sql`UPDATE calls SET view = (SELECT view FROM call_views WHERE call_views.id = calls.id)`.execute(store.db);
    await sql`DROP TABLE call_views`.execute(store.db);
    await sql`DELETE FROM kysely_migration WHERE name = '0008-views-table'`.execute(store.db);
  }

  test('every call keeps its view, a call without one keeps its null until 0010, and ingestion goes on', async () => {
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const calls = [0, 1, 2].map((i) =>
      callEvents(projectId, undefined, Date.parse('2026-11-20T10:00:00Z') + i * 60_000),
    );
    for (const call of calls) await ingestEvents(store.db, [call.created(0), call.answered(4), call.recording(70)]);
    const served = async () =>
      Promise.all(calls.map(async (c) => servedView((await findCall(store.db, projectId, c.callId))!, unrestricted)));
    const listing = () => listCalls(store.db, projectId, {}, { limit: 10, order: 'desc' }, unrestricted);
    const before = { views: await served(), listing: await listing() };

    await undo0008();
    // The last call as stored before views existed (0006): no view.
    await sql`UPDATE calls SET view = NULL WHERE id = ${calls[2]!.callId}`.execute(store.db);
    const { error, results } = await migrator.migrateTo('0008-views-table');
    assert.equal(error, undefined);
    assert.deepEqual(
      results?.map((r) => r.migrationName),
      ['0008-views-table'],
    );

    const columns =
      backend === 'postgres'
        ? sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'calls'`
        : sql<{ name: string }>`SELECT name FROM pragma_table_info('calls')`;
    const names = (await columns.execute(store.db)).rows.map((c) => c.name);
    assert.ok(names.includes('recording_url') && !names.includes('view'), 'calls.view is dropped');
    const stored = await Promise.all(calls.map((c) => findCallView(store.db, projectId, c.callId)));
    assert.deepEqual(
      stored.map((rows) => rows[0]?.view),
      [before.views[0], before.views[1], null],
    );
    await migrateToLatest(store.db);
    assert.deepEqual(await served(), before.views, 'every call answers as before, the one without a view rendered');
    assert.equal(await listing(), before.listing);

    // Ingestion goes on.
    for (const call of calls) await ingestEvents(store.db, [call.ended(65)]);
    const after = await served();
    assert.ok(after.every((view) => JSON.parse(view).status === 'completed'));
    assert.equal((await findCallView(store.db, projectId, calls[2]!.callId))[0]?.view, after[2]);
  });
});

describeEachBackend('upgrading a store to 0009 (events keyed by call)', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  const storedEvents = async () =>
    (
      await sql<{ call_id: string; event_id: string; payload: string }>`
        SELECT call_id, event_id, payload FROM call_events ORDER BY call_id, event_id
      `.execute(store.db)
    ).rows;

  test('every event is kept, replays are still found, and ingestion goes on', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0008-views-table')).error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const calls = [0, 1].map(() => callEvents(projectId));
    const sent = calls.map((call) => [call.created(0), call.answered(4), call.message(6, 'user', 'Hola')]);
    for (const events of sent) await ingestEvents(store.db, events);
    const before = await storedEvents();
    const served = async () =>
      Promise.all(calls.map(async (c) => servedView((await findCall(store.db, projectId, c.callId))!, unrestricted)));
    const views = await served();

    assert.deepEqual((await migrator.migrateTo('0009-events-keyed-by-call')).error, undefined);

    assert.deepEqual(await storedEvents(), before, 'every event kept as stored');
    const [first, second] = sent as [RuntimeEvent[], RuntimeEvent[]];
    const replay = await ingestEvents(store.db, [...first, ...second]);
    assert.ok(replay.results.every((r) => r.status === 'duplicate'));
    await assert.rejects(
      ingestEvents(store.db, [{ ...first[1]!, occurred_at: '2026-11-20T10:00:09Z' }]),
      (error: Error & { errorCode?: string }) => error.errorCode === 'EVENT_ID_CONFLICT',
    );
    assert.deepEqual(await served(), views, 'nothing of the rejected batch applied');
    const ended = await ingestEvents(store.db, [calls[0]!.ended(65)]);
    assert.deepEqual(
      ended.results.map((r) => r.status),
      ['accepted'],
    );
    assert.equal(JSON.parse((await served())[0]!).status, 'completed');
  });
});

describeEachBackend('upgrading a store to 0010 (every call has its view)', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  test('a call without a view gets the one ingestion rendered: GET and the listing answer as before', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0009-events-keyed-by-call')).error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    // One contact: the last call is its earliest sighting, so it re-dates the contact under the
    // others, whose views show the contact's created_date.
    const start = Date.parse('2026-11-20T10:00:00Z');
    const calls = [10, 20, 30, 0].map((minutes) => callEvents(projectId, undefined, start + minutes * 60_000));
    const [ended, dialing, recorded, earliest] = calls as [
      (typeof calls)[0],
      (typeof calls)[0],
      (typeof calls)[0],
      (typeof calls)[0],
    ];
    await ingestEvents(store.db, [
      ended.created(0, { agent_id: ended.callId, dynamic_variables: { name: 'Lucía', n: 1.5, nested: { b: [1, 2] } } }),
      ended.answered(4),
      ended.ended(64.25, 'transferred', 'handed to a person'),
      ended.recording(70),
      dialing.created(0),
      recorded.created(0),
      recorded.recording(70),
    ]);
    await ingestEvents(store.db, [earliest.created(0), earliest.ended(3, 'no_answer', null)]);
    await upsertRecording(store.db, {
      call_id: recorded.callId,
      project_id: projectId,
      blob_key: 'audio/recorded',
      content_type: 'audio/wav',
      size: 4096,
      created_date: Date.now() * 1000,
    });
    const signed = (callId: string) => `https://api.example/v1/recording/${callId}/audio?signed`;
    const get = () =>
      Promise.all(
        calls.map((c) =>
          getCallView(store.db, projectId, c.callId, { grant: unrestricted.grant, recordingUrlOf: signed }),
        ),
      );
    const listing = () =>
      listCalls(
        store.db,
        projectId,
        {},
        { limit: 10, order: 'desc' },
        { grant: unrestricted.grant, recordingUrlOf: signed },
      );
    const before = { bodies: await get(), listing: await listing() };
    assert.equal(JSON.parse(before.bodies[0]!).contact.created_date, '2026-11-20T10:00:00Z', 're-dated');
    assert.equal(JSON.parse(before.bodies[2]!).recording_url, signed(recorded.callId));

    // As stored before views existed: a null view (0006, carried by 0008), or no row at all.
    const legacy = [ended, recorded, earliest].map((c) => c.callId);
    await sql`UPDATE call_views SET view = NULL WHERE id IN (${sql.join(legacy.slice(0, 2))})`.execute(store.db);
    await sql`DELETE FROM call_views WHERE id = ${legacy[2]}`.execute(store.db);

    assert.equal((await migrateToLatest(store.db)).applied[0], '0010-render-missing-views');
    assert.deepEqual(await get(), before.bodies, 'byte for byte');
    assert.equal(await listing(), before.listing);
    const views = await sql<{ n: number }>`SELECT count(*) AS n FROM call_views WHERE view IS NOT NULL`.execute(
      store.db,
    );
    assert.equal(Number(views.rows[0]?.n), calls.length);

    // Ingestion goes on over the rendered views.
    await ingestEvents(store.db, [dialing.answered(5), recorded.ended(90)]);
    const after = await get();
    assert.equal(JSON.parse(after[1]!).status, 'in_progress');
    assert.equal(JSON.parse(after[2]!).status, 'completed');
    assert.equal(after[0], before.bodies[0]);
  });
});

describeEachBackend('upgrading a store to 0012 (which webhooks show recordings)', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  test('a webhook made before keeps showing recordings: the key that set its URL is unknown', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0010-render-missing-views')).error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const id = randomUUID();
    await sql`INSERT INTO webhooks (id, project_id, url, subscribed_events, secret, created_date)
      VALUES (${id}, ${projectId}, 'https://127.0.0.1:9/x', '["status_changed"]', 'whsec_x', ${dbInstant(store.db, Date.now() * 1000)})`.execute(
      store.db,
    );
    assert.ok((await migrateToLatest(store.db)).applied.includes('0012-webhook-shows-recordings'));
    const row = await store.db
      .selectFrom('webhooks')
      .select('shows_recordings')
      .where('id', '=', id)
      .executeTakeFirst();
    assert.equal(row?.shows_recordings, 1);
  });
});

/** An unrestricted key's reader of call views (these stores' calls keep no recording here). */
const unrestricted: CallReader = {
  grant: { permissions: null },
  recordingUrlOf: () => assert.fail('no recording stored here to sign'),
};

describeEachBackend('upgrading a store to 0013 (one project per phone number)', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  test('of projects that imported one number, the earliest keeps it and the others are released', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0010-render-missing-views')).error, undefined);
    const [a, b, c, d] = (await Promise.all(
      ['A', 'B', 'C', 'D'].map(async (name) => (await createProject(store.db, name)).id),
    )) as [string, string, string, string];
    const at = (seconds: number) => {
      const micros = Date.parse('2026-01-01T00:00:00Z') * 1000 + seconds * 1_000_000;
      return backend === 'postgres' ? new Date(micros / 1000).toISOString() : micros;
    };
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    // Phones as imported before a number had one holder: [id, project, number, imported at, status].
    const phones: [string, string, string, number, string][] = [
      [id(1), d, '+34910000001', 0, 'released'], // released already: holds nothing
      [id(2), a, '+34910000001', 10, 'assigned'], // the earliest live import: keeps it
      [id(3), b, '+34910000001', 20, 'assigned'],
      [id(4), c, '+34910000001', 10, 'assigned'], // same instant as A's: the id breaks the tie
      [id(5), b, 'desk@trunk.example', 5, 'assigned'], // keeps it
      [id(6), a, 'sip:desk@Trunk.example:5060', 30, 'assigned'], // the same line, spelled otherwise
      [id(7), b, '+34910000009', 40, 'assigned'], // no one else's
    ];
    for (const [phoneId, projectId, number, seconds, status] of phones) {
      await sql`INSERT INTO phone_registers
          (id, project_id, number, created_date, telephony_provider, status, assigned_at)
        VALUES (${phoneId}, ${projectId}, ${number}, ${at(seconds)}, 'custom', ${status}, ${at(seconds)})`.execute(
        store.db,
      );
    }

    await migrateToLatest(store.db);
    const kept = await store.db.selectFrom('phone_registers').select(['id', 'routing_key']).orderBy('id').execute();
    assert.deepEqual(
      kept.map((p) => [p.id, p.routing_key]),
      [
        [id(1), '+34910000001'],
        [id(2), '+34910000001'],
        [id(5), 'desk@trunk.example'],
        [id(7), '+34910000009'],
      ],
    );
    // From now on the index decides: B cannot import the number A kept, in any spelling.
    for (const [number, holder] of [
      ['+34910000001', a],
      ['sips:desk@TRUNK.example', b],
    ] as const) {
      await assert.rejects(
        importPhone(store.db, holder === a ? b : a, { phone_number: number }),
        (error: Error & { errorCode?: string; message: string }) =>
          error.errorCode === 'PHONE_NUMBER_ALREADY_EXISTS' && /another project/.test(error.message),
      );
    }
  });
});

describeEachBackend('upgrading a store to 0011 (webhook fan-out)', (backend) => {
  let store: Store;
  withUnmigratedStore(backend, (opened) => (store = opened));

  test("webhooks start healthy, the outbox's pending events are still sent, and ingestion records changes", async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0010-render-missing-views')).error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const hookId = randomUUID();
    const at = (micros: number) => (backend === 'postgres' ? new Date(micros / 1000).toISOString() : micros);
    const now = Date.now() * 1000;
    // A webhook and one queued event as 0010's code wrote them.
    await sql`INSERT INTO webhooks (id, project_id, url, subscribed_events, secret, created_date)
      VALUES (${hookId}, ${projectId}, 'http://127.0.0.1:9/hook', '["status_changed"]', 'whsec_x', ${at(now)})`.execute(
      store.db,
    );
    const queued = randomUUID();
    await sql`INSERT INTO webhook_events
        (id, webhook_id, project_id, call_id, sequence, payload, status, attempts, next_attempt_at, created_date)
      VALUES (${queued}, ${hookId}, ${projectId}, ${randomUUID()}, 1, '{}', 'pending', 0, ${at(now)}, ${at(now)})`.execute(
      store.db,
    );

    assert.equal((await migrator.migrateTo('0011-webhook-fan-out')).error, undefined);
    const hook = await store.db.selectFrom('webhooks').selectAll().where('id', '=', hookId).executeTakeFirstOrThrow();
    assert.equal(hook.consecutive_failures, 0);
    assert.equal(hook.retry_after, null);
    const claimed = await new FairClaim(store.db, { perProject: 4, perWebhook: 2 }).claim(
      now + 1,
      now + 10_000_000,
      16,
    );
    assert.deepEqual(
      claimed.map((e) => e.id),
      [queued],
      'the queued event is claimed as before',
    );

    await migrateToLatest(store.db);
    const call = callEvents(projectId);
    await ingestEvents(store.db, [call.created(0), call.answered(4)]);
    const changes = await store.db.selectFrom('webhook_status_changes').selectAll().execute();
    assert.deepEqual(
      changes.map((c) => [c.call_id, c.sequence, JSON.parse(c.data).length]),
      [[call.callId, 1, 2]],
    );
    while ((await new FanOut(store.db).round()).more);
    const events = await store.db
      .selectFrom('webhook_events')
      .select(['sequence'])
      .where('call_id', '=', call.callId)
      .orderBy('sequence')
      .execute();
    assert.deepEqual(
      events.map((e) => e.sequence),
      [1, 2],
    );
  });
});

/** Gives the suite a file store with no migration run, opened before its tests and closed after them. */
function withUnmigratedStore(backend: BackendName, use: (store: Store) => void): void {
  let testStore: TestStore;
  before(async () => {
    testStore = await openTestStore(backend, { file: true, migrate: false });
    use(testStore.store);
  });
  after(() => testStore.close());
}
