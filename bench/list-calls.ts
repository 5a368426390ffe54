import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { listCalls, type CallFilters } from '../src/domain/calls/list-calls.js';
import type { CallReader } from '../src/domain/calls/get-call.js';
import type { PageRequest } from '../src/kernel/pagination.js';
import { createProject } from '../src/domain/projects/projects.js';
import { openStore } from '../src/store/open-store.js';
import { migrateToLatest } from '../src/store/migrate.js';

/**
 * GET /v1/call/ at scale, in process: fills a SQLite store with N calls by SQL (a direct fill,
 * not the ingestion path, so a million calls take seconds: the calls and contacts tables and
 * their indexes are exactly what ingestion writes), then times listCalls for the first page,
 * each filter, an `after` walk and page mode, and prints the query plan of each.
 *
 *   npm run bench:list -- --calls 1000000 [--keep]
 */
const { values } = parseArgs({
  options: { calls: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } },
});
const calls = Number(values.calls);
const AGENTS = 20;
const PHONES = 10;
const CONTACTS = Math.max(1, Math.floor(calls / 20));

/** An unrestricted key's reader; the filled store holds no recordings to sign. */
const reader: CallReader = { grant: { permissions: null }, recordingUrlOf: (id) => `/v1/recording/${id}/audio` };

const dir = mkdtempSync(join(tmpdir(), 'diga-list-bench-'));
const path = join(dir, 'diga.db');
try {
  const store = openStore(path);
  await migrateToLatest(store.db);
  const projectId = (await createProject(store.db, 'Bench')).id;
  const other = (await createProject(store.db, 'Other')).id;
  await store.close();

  const fillStarted = performance.now();
  fill(path, projectId, other);
  console.log(
    `filled ${calls.toLocaleString('en')} calls in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`,
  );

  const reopened = openStore(path);
  const db = reopened.db;
  const sample = new Database(path, { readonly: true });
  const pick = (sqlText: string) => (sample.prepare(sqlText).get(projectId) as { v: string }).v;
  const agentId = pick('SELECT agent_id AS v FROM calls WHERE project_id = ? LIMIT 1');
  const phoneId = pick('SELECT phone_register_id AS v FROM calls WHERE project_id = ? LIMIT 1');
  const contactId = pick('SELECT contact_id AS v FROM calls WHERE project_id = ? LIMIT 1');

  const request = (extra: Partial<PageRequest> = {}): PageRequest => ({ limit: 50, order: 'desc', ...extra });
  const day = 86_400_000_000;
  const now = 1_795_000_000_000_000;
  const cases: [string, CallFilters][] = [
    ['no filter', {}],
    ['status=in_progress (rare)', { status: 'in_progress' }],
    ['status=completed', { status: 'completed' }],
    ['type=outbound', { type: 'outbound' }],
    ['agent_id', { agentId }],
    ['phone_id', { phoneId }],
    ['contact_id', { contactId }],
    ['created in one day', { createdFrom: now - 30 * day, createdTo: now - 29 * day }],
  ];

  console.log('\nfirst page (limit 50), ms per page over 200 runs:');
  for (const [name, filters] of cases) {
    const times = await timed(200, () => listCalls(db, projectId, filters, request(), reader));
    console.log(`  ${name.padEnd(28)} p50 ${times.p50}  p99 ${times.p99}`);
  }

  console.log('\nwalk with `after` (limit 50), ms per page:');
  for (const [name, filters] of cases.slice(0, 6)) {
    let cursor: string | undefined;
    const pageTimes: number[] = [];
    for (let page = 0; page < 200; page++) {
      const started = performance.now();
      const result = JSON.parse(
        await listCalls(db, projectId, filters, request(cursor ? { after: cursor } : {}), reader),
      ) as {
        has_more: boolean;
        last_id: string | null;
      };
      pageTimes.push(performance.now() - started);
      if (!result.has_more || result.last_id === null) break;
      cursor = result.last_id;
    }
    const s = summary(pageTimes);
    console.log(`  ${name.padEnd(28)} ${pageTimes.length} pages  p50 ${s.p50}  p99 ${s.p99}`);
  }

  console.log('\npage mode (OFFSET + COUNT), ms per page over 20 runs:');
  for (const [name, filters, page] of [
    ['no filter, page 1', {}, 1],
    ['no filter, page 100', {}, 100],
    ['status=in_progress, page 1', { status: 'in_progress' }, 1],
    ['agent_id, page 10', { agentId }, 10],
  ] as [string, CallFilters, number][]) {
    const times = await timed(20, () => listCalls(db, projectId, filters, request({ page }), reader));
    console.log(`  ${name.padEnd(28)} p50 ${times.p50}  p99 ${times.p99}`);
  }

  console.log('\nquery plans (first page):');
  const raw = new Database(path, { readonly: true });
  for (const [name, where] of <[string, string][]>[
    ['no filter', ''],
    ['status', "AND status = 'in_progress'"],
    ['type', "AND type = 'outbound'"],
    ['agent_id', `AND agent_id = '${agentId}'`],
    ['phone_id', `AND phone_register_id = '${phoneId}'`],
    ['contact_id', `AND contact_id = '${contactId}'`],
    ['date range', `AND calls.created_date BETWEEN ${now - 30 * day} AND ${now - 29 * day}`],
    ['after cursor', `AND (calls.created_date, calls.id) < (${now}, 'ffffffff')`],
  ]) {
    const plan = raw
      .prepare(
        `EXPLAIN QUERY PLAN SELECT calls.* FROM calls JOIN contacts ON contacts.id = calls.contact_id
         WHERE calls.project_id = ? ${where} ORDER BY calls.created_date DESC, calls.id DESC LIMIT 51`,
      )
      .all(projectId) as { detail: string }[];
    console.log(`  ${name.padEnd(14)} ${plan.map((p) => p.detail).join(' | ')}`);
  }
  for (const [name, where] of <[string, string][]>[
    ['count, no filter', ''],
    ['count, agent_id', `AND agent_id = '${agentId}'`],
  ]) {
    const plan = raw
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM calls WHERE calls.project_id = ? ${where}`)
      .all(projectId) as { detail: string }[];
    console.log(`  ${name.padEnd(14)} ${plan.map((p) => p.detail).join(' | ')}`);
  }
  raw.close();
  sample.close();
  await reopened.close();
} finally {
  if (values.keep) console.log(`store kept at ${path}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** calls rows for two projects (90 % ours), spread over 90 days, with realistic value mixes. */
function fill(file: string, projectId: string, other: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
  db.exec(`
    CREATE TEMP TABLE agent_ids (i INTEGER PRIMARY KEY, id TEXT NOT NULL);
    INSERT INTO agent_ids WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${AGENTS - 1}) SELECT i, ${uuid} FROM n;
    CREATE TEMP TABLE phone_ids (i INTEGER PRIMARY KEY, id TEXT NOT NULL);
    INSERT INTO phone_ids WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${PHONES - 1}) SELECT i, ${uuid} FROM n;
    CREATE TEMP TABLE contact_ids (i INTEGER PRIMARY KEY, id TEXT NOT NULL);
    INSERT INTO contact_ids WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CONTACTS - 1}) SELECT i, ${uuid} FROM n;
  `);
  const start = 1_795_000_000_000_000 - 90 * 86_400_000_000;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO contacts (id, project_id, contact_type, identifier, created_date)
       SELECT id, ?, 'call', '+346' || printf('%08d', i), ? FROM contact_ids`,
    ).run(projectId, start);
    db.prepare(
      `INSERT INTO calls (id, project_id, status, type, contact_id, agent_id, agent_version_id, phone_register_id,
         recording_url, start_time, end_time, duration, end_reason, dynamic_variables, created_date, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${calls - 1})
       SELECT ${uuid}, CASE WHEN i % 10 = 9 THEN @other ELSE @project END,
         CASE WHEN i % 100 < 2 THEN 'in_progress' WHEN i % 100 < 4 THEN 'dialing' WHEN i % 100 < 14 THEN 'no_answer'
              WHEN i % 100 < 20 THEN 'failed' WHEN i % 100 < 30 THEN 'transferred' ELSE 'completed' END,
         CASE WHEN i % 3 = 0 THEN 'outbound' ELSE 'inbound' END,
         (SELECT id FROM contact_ids WHERE contact_ids.i = (n.i * 7919) % ${CONTACTS}),
         (SELECT id FROM agent_ids WHERE agent_ids.i = n.i % ${AGENTS}), NULL,
         (SELECT id FROM phone_ids WHERE phone_ids.i = n.i % ${PHONES}),
         NULL, NULL, NULL, NULL, NULL, '{"customer_name":"Lucía"}',
         @start + (i * 7776000000000 / ${calls}), @start + (i * 7776000000000 / ${calls})
       FROM n`,
    ).run({ project: projectId, other, start });
  })();
  db.exec('ANALYZE');
  db.close();
}

async function timed(runs: number, run: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return summary(times);
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
  return { p50: `${at(0.5)} ms`, p99: `${at(0.99)} ms` };
}
