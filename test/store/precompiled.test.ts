import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';
import { dbInstant } from '../../src/store/dialect.js';
import { openStore } from '../../src/store/open-store.js';
import { precompiled } from '../../src/store/precompiled.js';
import { describeEachBackend } from '../helpers/backends.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';

/**
 * A precompiled query is built once and then run with other values: each run must bind its own
 * values, scalars and a row's keys alike, and a write must reach the writer (on a SQLite file the
 * reads go to a read-only connection).
 */
const upsertProject = precompiled((db: Store['db'], row: { id: string; name: string; created_date: number }) =>
  db
    .insertInto('projects')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name })),
);
const projectNamed = precompiled((db: Store['db'], id: string) =>
  db.selectFrom('projects').select(['id', 'name', 'created_date']).where('id', '=', id).where('name', '!=', ''),
);

describeEachBackend('precompiled queries', (backend) => {
  let testStore: TestStore;
  let store: Store;
  before(async () => {
    testStore = await openTestStore(backend, { file: true });
    store = testStore.store;
  });
  after(() => testStore.close());

  test('every run binds its own values, outside and inside a transaction', async () => {
    const at = (micros: number) => dbInstant(store.db, micros);
    const first = { id: '00000000-0000-4000-8000-000000000001', name: 'First', created_date: at(1) };
    const second = { id: '00000000-0000-4000-8000-000000000002', name: 'Second', created_date: at(2) };
    await upsertProject(store.db, first);
    await store.db.transaction().execute((trx) => upsertProject(trx, second));
    await upsertProject(store.db, { ...first, name: 'First, renamed' });

    const names = async (id: string) => (await projectNamed(store.db, id)).map((row) => row.name);
    assert.deepEqual(await names(first.id), ['First, renamed']);
    assert.deepEqual(await names(second.id), ['Second']);
    assert.deepEqual(await names('00000000-0000-4000-8000-000000000003'), []);
    const [row] = await projectNamed(store.db, second.id);
    assert.equal(Number(row?.created_date), 2);
  });

  test("a read inside a transaction runs on the transaction's connection, one outside does not", async () => {
    // Outside a transaction, reads go to a connection of their own (SQLite's read connection,
    // PostgreSQL's pool without Kysely): they must not see a write that is not committed yet.
    const project = {
      id: '00000000-0000-4000-8000-000000000006',
      name: 'Pending',
      created_date: dbInstant(store.db, 6),
    };
    let seenInside: unknown[] = [];
    let seenOutside: unknown[] = [];
    await store.db.transaction().execute(async (trx) => {
      await upsertProject(trx, project);
      seenInside = (await projectNamed(trx, project.id)).map((row) => row.name);
      seenOutside = await projectNamed(store.db, project.id);
    });
    assert.deepEqual(seenInside, ['Pending']);
    assert.deepEqual(seenOutside, []);
    assert.deepEqual(
      (await projectNamed(store.db, project.id)).map((row) => row.name),
      ['Pending'],
      'seen once committed',
    );
  });

  test(
    'on PostgreSQL they run as prepared statements, through the pool and through Kysely, named by each store',
    { skip: backend !== 'postgres' && 'PostgreSQL only' },
    async () => {
      // A second store on the same database, with one connection: every statement below runs on
      // it, whether sent straight through the pool (a read) or through Kysely (a write).
      const other = openStore(testStore.url, { poolSize: 1 });
      try {
        const project = {
          id: '00000000-0000-4000-8000-000000000007',
          name: 'Named',
          created_date: dbInstant(other.db, 7),
        };
        await upsertProject(other.db, project);
        assert.deepEqual(
          (await projectNamed(other.db, project.id)).map((row) => row.name),
          ['Named'],
        );
        const { rows } = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements order by name`.execute(other.db);
        assert.equal(rows.length, 2, 'the two precompiled queries, and nothing Kysely sent unnamed');
        assert.ok(rows.some((row) => /^insert into "projects"/.test(row.statement)));
        assert.ok(rows.some((row) => /^select "id", "name"/.test(row.statement)));
        assert.notEqual(rows[0]?.name, rows[1]?.name);
      } finally {
        await other.close();
      }
    },
  );

  test('now() answers at once only where the read runs synchronously: a SQLite file, outside a transaction', async () => {
    const project = { id: '00000000-0000-4000-8000-000000000004', name: 'Now', created_date: dbInstant(store.db, 4) };
    await upsertProject(store.db, project);
    const rows = projectNamed.now(store.db, project.id);
    if (backend === 'sqlite') {
      assert.deepEqual(
        rows?.map((r) => [r.id, r.name, Number(r.created_date)]),
        [[project.id, 'Now', 4]],
      );
      assert.deepEqual(projectNamed.now(store.db, '00000000-0000-4000-8000-000000000005'), []);
    } else {
      assert.equal(rows, undefined, 'PostgreSQL answers later');
    }
    await store.db.transaction().execute(async (trx) => {
      assert.equal(projectNamed.now(trx, project.id), undefined, 'inside a transaction');
    });
    assert.equal(upsertProject.now(store.db, project), undefined, 'a write is never run by now()');
  });
});
