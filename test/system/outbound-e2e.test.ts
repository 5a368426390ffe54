import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { issueApiKey } from '../../src/domain/api-keys/issue-api-key.js';
import { operatorIn } from '../../src/domain/api-keys/principal.js';
import { createRuntimeToken } from '../../src/domain/api-keys/credentials.js';
import { createProject } from '../../src/domain/projects/projects.js';
import { openStore } from '../../src/store/open-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../helpers/backends.js';
import { assertMatchesSeed } from '../helpers/contract.js';
import { inParallel } from '../helpers/http.js';
import { builtCli } from '../helpers/paths.js';
import { pollUntil } from '../helpers/poll.js';
import { startServerProcess, tempDir, type ServerProcess } from '../helpers/processes.js';

const VOICE = '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A migrated store with a project, an API key and a runtime token. */
async function seed(url: string) {
  const store = openStore(url);
  try {
    await migrateToLatest(store.db);
    const projectId = (await createProject(store.db, 'Outbound')).id;
    return {
      apiKey: (await issueApiKey(store.db, operatorIn(projectId), { name: 'e2e', restricted: false })).value,
      runtimeToken: (await createRuntimeToken(store.db, 'simulator')).value,
    };
  } finally {
    await store.close();
  }
}

function api(base: string, key: string) {
  return async (
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: Json; policy: string }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Json),
      policy: response.headers.get('ratelimit-policy') ?? '',
    };
  };
}

/** What a customer does before calling out: a phone, an agent, its version published on the phone. */
async function prepareOutbound(call: ReturnType<typeof api>, number: string) {
  const phone = await call('POST', '/v1/phone/import', {
    phone_number: number,
    nickname: 'Recepción',
    outbound_config: { termination_uri: 'sip.trunk.example.com', username: 'clinic', password: 'pw' },
  });
  assert.equal(phone.status, 200, JSON.stringify(phone.body));
  const agent = await call('POST', '/v1/agent/?is_draft=true', {
    name: 'Recordatorio de citas',
    voice_id: VOICE,
    language: 'es',
    prompt: 'Confirma la cita del paciente.',
    greeting: 'Hola {{patient}}, le llamo de la Clínica Sonrisas.',
  });
  assert.equal(agent.status, 201);
  const version = await call('POST', `/v1/agent/${agent.body.agent_id}/version`, { version_name: 'v1' });
  assert.equal(version.status, 201);
  const published = await call('PATCH', `/v1/agent/${agent.body.agent_id}/published_version`, {
    version_id: version.body.version_id,
    outbound_phone_number_id: phone.body.id,
  });
  assert.equal(published.status, 200);
  return { phone: phone.body, version: version.body };
}

interface SimulatorProcess {
  child: ChildProcess;
  /** The JSON records it printed. */
  records(): Json[];
  exited: Promise<number | null>;
}

function startSimulator(server: string, token: string, args: string[]): SimulatorProcess {
  const child = spawn(
    process.execPath,
    [builtCli, 'simulate', '--server', server, '--token', token, '--json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`simulator exited with ${code}: ${err}`);
    return code as number | null;
  });
  return {
    child,
    records: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Json),
    exited,
  };
}

describe('Outbound calls end to end, with the runtime simulator [sqlite]', () => {
  const dir = tempDir();
  let server: ServerProcess;
  let keys: Awaited<ReturnType<typeof seed>>;
  before(async () => {
    const url = join(dir.path, 'diga.db');
    keys = await seed(url);
    server = await startServerProcess({ DIGA_DATABASE_URL: url, DIGA_RECORDINGS_DIR: join(dir.path, 'rec') });
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  test('a placed call goes dialing → in_progress → its end, with duration, end reason, transcript and recording', async () => {
    const call = api(server.base, keys.apiKey);
    const { phone, version } = await prepareOutbound(call, '+34910000001');
    const placed = await call('POST', '/v1/call/', {
      from_number: '+34910000001',
      to_number: '+34612345678',
      dynamic_variables: { patient: 'Lucía' },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.status, 'dialing');

    // Ten simulated seconds per second: the call takes a few real seconds.
    const simulator = startSimulator(server.base, keys.runtimeToken, [
      '--speed',
      '10',
      '--answer-rate',
      '1',
      '--max-calls',
      '1',
    ]);
    const seen: string[] = [];
    const final = await pollUntil(
      'the call ended, with its recording',
      async () => {
        const now: Json = (await call('GET', `/v1/call/${placed.body.id}`)).body;
        if (seen.at(-1) !== now.status) seen.push(now.status);
        return now;
      },
      (now) => ['completed', 'transferred'].includes(now.status) && Boolean(now.recording_url),
      { timeoutMs: 30_000, everyMs: 100 },
    );
    assert.equal(await simulator.exited, 0);
    // An answered call ends completed, or transferred (one in ten, at random).
    assert.deepEqual(seen.slice(0, 2), ['dialing', 'in_progress'], 'observed every status, in order');
    assert.equal(seen.length, 3, `one terminal status after in_progress: ${seen.join(' → ')}`);
    assert.ok(['completed', 'transferred'].includes(final.status), final.status);
    assertMatchesSeed('CallResponse', final);
    assert.equal(final.type, 'outbound');
    assert.equal(final.agent_version_id, version.version_id);
    assert.equal(final.phone_register_id, phone.id);
    assert.ok(final.duration > 0, `duration ${final.duration}`);
    assert.match(final.end_reason, final.status === 'completed' ? /hangup/ : /transferred/);
    assert.ok(final.start_time && final.end_time);

    const transcript = await call('GET', `/v1/call/${placed.body.id}/message?order=asc&limit=100`);
    const messages = transcript.body.data as Json[];
    assert.ok(messages.length >= 4, `${messages.length} messages`);
    assert.equal(
      messages[0]?.content,
      'Hola Lucía, le llamo de la Clínica Sonrisas.',
      "the agent's greeting, filled in",
    );
    assert.deepEqual(new Set(messages.map((m) => m.role)).has('user'), true);

    const audio = await fetch(final.recording_url as string);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    assert.ok((await audio.arrayBuffer()).byteLength > 1000);
    const records = simulator.records();
    assert.deepEqual(
      records.map((r) => r.event),
      ['claimed', 'confirmed', 'ended'],
    );
  });
});

const skip = postgresAdminUrl ? false : 'PostgreSQL suite skipped: DIGA_TEST_DATABASE_URL is not set';

describe('Two simulators and two API processes on one PostgreSQL database [postgres]', { skip }, () => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  let keys: Awaited<ReturnType<typeof seed>>;
  before(async () => {
    database = await createTestDatabase('postgres');
    keys = await seed(database.url);
    servers = await Promise.all(
      [1, 2].map(() =>
        startServerProcess({
          DIGA_DATABASE_URL: database.url,
          DIGA_MAX_CONCURRENT_CALLS: '1000',
          // 120 calls placed and read back by one key in a few seconds: over its default rate.
          DIGA_RATE_LIMIT_PER_SECOND: '0',
          DIGA_PROJECT_RATE_LIMIT_PER_SECOND: '0',
        }),
      ),
    );
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await database?.drop();
  });

  test('every dial job is taken exactly once, and every call reaches its end', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    await prepareOutbound(api(first.base, keys.apiKey), '+34910000002');
    const simulators = [first, second].map(
      (server, i) =>
      startSimulator(server.base, keys.runtimeToken, [
        '--speed', '50', '--concurrency', '20', '--idle-exit', '4', '--runtime-id', `sim-${i}`, '--seed', String(i + 1),
      ]), // prettier-ignore
    );
    // 120 calls, placed through both API processes while both simulators claim.
    const placed = await inParallel(
      Array.from({ length: 120 }, (_, i) => async () => {
        const call = api((i % 2 === 0 ? first : second).base, keys.apiKey);
        const response = await call('POST', '/v1/call/', {
          from_number: '+34910000002',
          to_number: `+34612${String(i).padStart(6, '0')}`,
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return response.body.id as string;
      }),
      8,
    );
    await Promise.all(simulators.map((s) => s.exited));

    const confirmed = simulators.flatMap((s) => s.records().filter((r) => r.event === 'confirmed'));
    const claimed = simulators.flatMap((s) => s.records().filter((r) => r.event === 'claimed'));
    const ids = confirmed.map((r) => r.job_id as string);
    assert.equal(ids.length, placed.length, 'one confirmation per call');
    assert.deepEqual(new Set(ids), new Set(placed), 'every placed call was taken');
    assert.equal(claimed.length, placed.length, 'no job was handed out twice');
    for (const s of simulators)
      assert.ok(
        s.records().some((r) => r.event === 'confirmed'),
        'both simulators worked',
      );

    const call = api(first.base, keys.apiKey);
    const statuses = await inParallel(
      placed.map((id) => async () => {
        const got = await call('GET', `/v1/call/${id}`);
        return got.status === 200
          ? (got.body.status as string)
          : `${got.status} ${got.policy} ${JSON.stringify(got.body)}`;
      }),
      8,
    );
    assert.ok(
      statuses.every((s) => ['completed', 'transferred', 'no_answer', 'failed'].includes(s)),
      `every call ended: ${JSON.stringify(statuses)}`,
    );
  });
});
