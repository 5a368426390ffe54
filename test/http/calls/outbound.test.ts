import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createProject } from '../../../src/domain/projects/projects.js';
import { updateDialSettings } from '../../../src/store/projects-repo.js';
import { IDEMPOTENCY_WINDOW_MICROS } from '../../../src/domain/calls/place-call.js';
import { dbInstant } from '../../../src/store/dialect.js';
import { purgeExpired } from '../../../src/domain/dialing/maintenance.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { pollUntil } from '../../helpers/poll.js';
import { assertMatchesReference, assertMatchesSeed } from '../../helpers/contract.js';

const VOICE = '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whether `ms` have passed since it was made. */
function timer(ms: number): { readonly done: boolean; clear(): void } {
  let done = false;
  const handle = setTimeout(() => (done = true), ms);
  return {
    get done() {
      return done;
    },
    clear: () => clearTimeout(handle),
  };
}

/** A project ready to call out: an agent version published on an outbound phone. */
async function outboundSetup(t: TestApp, key: string, number: string) {
  const send = async (method: 'POST' | 'PATCH', url: string, payload: object) =>
    (await t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload })).json();
  const agent = await send('POST', '/v1/agent/', {
    name: 'Citas',
    voice_id: VOICE,
    language: 'es',
    greeting: 'Hola, le llamo de la clínica.',
    dynamic_variables: { clinic: 'Sonrisas', slot: 'none' },
  });
  const phone = await send('POST', '/v1/phone/import', {
    phone_number: number,
    outbound_config: { termination_uri: 'trunk.example.com', username: 'acme', password: 'trunk-secret' },
  });
  await send('PATCH', `/v1/agent/${agent.agent_id}/published_version`, {
    version_id: agent.version_id,
    outbound_phone_number_id: phone.id,
  });
  return { agent, phone };
}

describeEachBackend('Outbound calls: POST /v1/call/ and the dial-job protocol', (backend) => {
  let t: TestApp;
  let setup: Awaited<ReturnType<typeof outboundSetup>>;
  before(async () => {
    t = await buildTestApp({
      backend,
      app: { dialing: { leaseMs: 300, maxAttempts: 2, maxConcurrentCalls: 50 }, maintenanceIntervalMs: 100 },
    });
    t.app.addHook('preHandler', (request, _reply, done) => {
      if (request.url === '/internal/v1/dial-jobs/claim') claimArrived();
      done();
    });
    setup = await outboundSetup(t, t.keyA, '+34910000100');
  });
  /** Called as a claim reaches its handler, which looks for jobs straight away. */
  let claimArrived = () => {};
  after(() => t.close());

  async function place(payload: object, headers: Record<string, string> = {}, key = t.keyA) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/call/',
      headers: { authorization: `Bearer ${key}`, ...headers },
      payload,
    });
    const body = response.json();
    if (response.statusCode >= 400) {
      assertMatchesReference(response.statusCode === 422 ? 'HTTPValidationError' : 'ErrorResponseSchema', body);
    }
    return { status: response.statusCode, body, headers: response.headers };
  }
  async function runtime(url: string, payload: object) {
    const response = await t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${t.runtimeToken}` },
      payload,
    });
    return { status: response.statusCode, body: response.json() };
  }
  /** The runtime reports that a call ended. */
  const endCall = (projectId: string, callId: string, outcome: string, end_reason: string) =>
    runtime('/internal/v1/events', {
      events: [
        {
          event_id: randomUUID(),
          project_id: projectId,
          call_id: callId,
          occurred_at: new Date().toISOString(),
          type: 'call.ended',
          data: { outcome, end_reason },
        },
      ],
    });
  const claim = async (max_jobs = 10, wait_ms = 0) =>
    (await runtime('/internal/v1/dial-jobs/claim', { max_jobs, wait_ms, runtime_id: 'test' })).body.jobs as Json[];
  const drain = async () => {
    for (let jobs = await claim(100); jobs.length > 0; jobs = await claim(100)) {
      for (const job of jobs)
        await runtime(`/internal/v1/dial-jobs/${job.job_id}/confirm`, { lease_token: job.lease_token });
    }
  };

  test('a call placed from a number is dialing, outbound, with the published agent and the call variables', async () => {
    const placed = await place({
      from_number: '+34910000100',
      to_number: '+34612345678',
      dynamic_variables: { patient: 'Lucía', slot: 'martes 10:00' },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assertMatchesSeed('CallResponse', placed.body);
    assert.equal(placed.body.status, 'dialing');
    assert.equal(placed.body.type, 'outbound');
    assert.equal(placed.body.contact.identifier, '+34612345678');
    assert.equal(placed.body.agent_id, setup.agent.agent_id);
    assert.equal(placed.body.agent_version_id, setup.agent.version_id);
    assert.equal(placed.body.phone_register_id, setup.phone.id);
    assert.deepEqual(placed.body.dynamic_variables, { patient: 'Lucía', slot: 'martes 10:00' });
    const got = await t.app.inject({
      url: `/v1/call/${placed.body.id}`,
      headers: { authorization: `Bearer ${t.keyA}` },
    });
    assert.deepEqual(got.json(), placed.body);

    const [job, ...others] = await claim();
    assert.equal(others.length, 0);
    assert.equal(job?.job_id, placed.body.id);
    assert.equal(job?.attempt, 1);
    assert.deepEqual(job?.call.dynamic_variables, { clinic: 'Sonrisas', slot: 'martes 10:00', patient: 'Lucía' });
    assert.equal(job?.call.from_number, '+34910000100');
    assert.equal(job?.call.project_id, t.projectA);
    assert.equal(job?.call.sip.password, 'trunk-secret', 'the runtime gets what it needs to dial');
    assert.equal(job?.call.agent.greeting, 'Hola, le llamo de la clínica.');
    assert.deepEqual(await claim(), [], 'a claimed job is not offered twice within its lease');
    const confirmed = await runtime(`/internal/v1/dial-jobs/${job?.job_id}/confirm`, { lease_token: job?.lease_token });
    assert.deepEqual(confirmed.body, { job_id: job?.job_id, state: 'confirmed' });
    t.clock.advance(350); // past its lease
    assert.deepEqual(await claim(), [], 'a confirmed job is never offered again');
  });

  test('from_number may be the phone id; agent_version_id overrides the binding', async () => {
    const v2 = (
      await t.app.inject({
        method: 'POST',
        url: `/v1/agent/${setup.agent.agent_id}/version`,
        headers: { authorization: `Bearer ${t.keyA}` },
        payload: { version_name: 'v2' },
      })
    ).json();
    const placed = await place({
      from_number: setup.phone.id,
      to_number: '+34612345679',
      agent_version_id: v2.version_id,
    });
    assert.equal(placed.status, 201);
    assert.equal(placed.body.agent_version_id, v2.version_id);
    assert.equal(placed.body.phone_register_id, setup.phone.id);
    await drain();
  });

  test('errors follow the reference: numbers, phones, agents, permissions, bodies', async () => {
    const nonSpanish = await place({ from_number: '+34910000100', to_number: '+1234567890' });
    assert.equal(nonSpanish.status, 400);
    assert.deepEqual(nonSpanish.body, {
      status: 'error',
      error_code: 'NON_SPANISH_PHONE_NUMBER',
      message: 'Phone number +1234567890 is not a Spanish phone number',
    });
    const invalid = await place({ from_number: '+34910000100', to_number: '612345678' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error_code, 'INVALID_PHONE_NUMBER');
    const unknownPhone = await place({ from_number: '+34600000000', to_number: '+34612345678' });
    assert.equal(unknownPhone.status, 404);
    assert.deepEqual(unknownPhone.body, {
      status: 'error',
      error_code: 'PHONE_NUMBER_NOT_FOUND',
      message: 'Phone number +34600000000 not found',
    });
    const theirs = await place({ from_number: '+34910000100', to_number: '+34612345678' }, {}, t.keyB);
    assert.equal(theirs.status, 404, "another project's phone is as unknown as a made-up one");

    const inboundOnly = await t.app.inject({
      method: 'POST',
      url: '/v1/phone/import',
      headers: { authorization: `Bearer ${t.keyA}` },
      payload: { phone_number: '+34910000101' },
    });
    const noSip = await place({ from_number: inboundOnly.json().id, to_number: '+34612345678' });
    assert.equal(noSip.status, 412);
    assert.equal(noSip.body.error_code, 'SIP_CONFIG_NOT_SET');
    const unbound = await t.app.inject({
      method: 'POST',
      url: '/v1/phone/import',
      headers: { authorization: `Bearer ${t.keyA}` },
      payload: { phone_number: '+34910000102', outbound_config: { termination_uri: 'trunk.example.com' } },
    });
    const noAgent = await place({ from_number: '+34910000102', to_number: '+34612345678' });
    assert.equal(noAgent.status, 412);
    assert.equal(noAgent.body.error_code, 'NO_OUTBOUND_AGENT');
    const unknownVersion = await place({
      from_number: unbound.json().id,
      to_number: '+34612345678',
      agent_version_id: randomUUID(),
    });
    assert.equal(unknownVersion.status, 404);
    assert.equal(unknownVersion.body.error_code, 'AGENT_VERSION_NOT_FOUND');

    const viewer = await t.keyFor(t.projectA, ['calls.view']);
    const denied = await place({ from_number: '+34910000100', to_number: '+34612345678' }, {}, viewer);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, {
      status: 'error',
      error_code: 'MISSING_PERMISSIONS',
      message: 'Missing required permissions to create calls',
    });

    const missing = await place({ from_number: '+34910000100' });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.detail[0].loc, ['body', 'to_number']);
    const badVariables = await place({
      from_number: '+34910000100',
      to_number: '+34612345678',
      dynamic_variables: 'x',
    });
    assert.equal(badVariables.status, 422);
    assert.deepEqual(await claim(), [], 'no refused request left a job behind');
  });

  test('Idempotency-Key: a retry returns the first call; another body with the key is refused', async () => {
    const body = { from_number: '+34910000100', to_number: '+34612000001', dynamic_variables: { a: 1, b: 2 } };
    const key = { 'idempotency-key': `retry-${randomUUID()}` };
    const first = await place(body, key);
    assert.equal(first.status, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const retry = await place({ ...body, dynamic_variables: { b: 2, a: 1 } }, key);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, first.body.id, 'the same call, not a second one');
    assert.equal(retry.headers['idempotent-replayed'], 'true');

    const other = await place({ ...body, to_number: '+34612000002' }, key);
    assert.equal(other.status, 422);
    assert.deepEqual(other.body.detail[0].loc, ['header', 'idempotency-key']);
    assert.equal(other.body.detail[0].type, 'idempotency_key_reused');
    const otherProject = await outboundSetup(t, t.keyB, '+34910000199');
    const theirs = await place({ ...body, from_number: otherProject.phone.number }, key, t.keyB);
    assert.notEqual(theirs.body.id, first.body.id, 'keys are per project');

    // Ten concurrent requests with one key: one call, one job.
    const burstKey = { 'idempotency-key': `burst-${randomUUID()}` };
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => place({ ...body, to_number: '+34612000003' }, burstKey)),
    );
    assert.deepEqual(new Set(burst.map((r) => r.status)), new Set([201]));
    assert.equal(new Set(burst.map((r) => r.body.id)).size, 1);
    const jobs = await claim(100);
    const placedHere = new Set([first.body.id, theirs.body.id, burst[0]?.body.id]);
    assert.deepEqual(new Set(jobs.map((j) => j.job_id)), placedHere, 'one job per call placed');
    for (const job of jobs)
      await runtime(`/internal/v1/dial-jobs/${job.job_id}/confirm`, { lease_token: job.lease_token });

    const badKey = await place(body, { 'idempotency-key': 'x'.repeat(256) });
    assert.equal(badKey.status, 422);
  });

  test('an unconfirmed lease runs out: the job is offered again, the old claim cannot confirm, and a job never confirmed fails its call', async () => {
    const placed = await place({ from_number: '+34910000100', to_number: '+34612000010' });
    const [first] = await claim();
    assert.equal(first?.job_id, placed.body.id);
    t.clock.advance(350); // past the 300 ms lease
    const [second] = await claim();
    assert.equal(second?.job_id, placed.body.id);
    assert.equal(second?.attempt, 2);
    const late = await runtime(`/internal/v1/dial-jobs/${first?.job_id}/confirm`, { lease_token: first?.lease_token });
    assert.equal(late.status, 409);
    assert.equal(late.body.error_code, 'DIAL_JOB_LEASE_LOST');

    t.clock.advance(350);
    assert.deepEqual(await claim(), [], 'two leases ran out (maxAttempts 2): given up');
    const call = await t.app.inject({
      url: `/v1/call/${placed.body.id}`,
      headers: { authorization: `Bearer ${t.keyA}` },
    });
    assert.equal(call.json().status, 'failed');
    assert.equal(call.json().end_reason, 'dial_not_confirmed');
    const unknown = await runtime(`/internal/v1/dial-jobs/${randomUUID()}/confirm`, { lease_token: 'x' });
    assert.equal(unknown.status, 404);
  });

  test("a project's concurrency cap keeps extra calls queued until one ends", async () => {
    const project = await createProject(t.store.db, 'Capped');
    const key = await t.keyFor(project.id, null);
    await outboundSetup(t, key, '+34910000150');
    await updateDialSettings(t.store.db, project.id, { max_concurrent_calls: 2 });
    const ids = [];
    for (const n of [1, 2, 3]) {
      ids.push((await place({ from_number: '+34910000150', to_number: `+3461200002${n}` }, {}, key)).body.id);
    }
    const held = await claim(10);
    assert.deepEqual(
      held.map((j) => j.job_id),
      ids.slice(0, 2),
    );
    for (const job of held) {
      await runtime(`/internal/v1/dial-jobs/${job.job_id}/confirm`, { lease_token: job.lease_token });
    }
    assert.deepEqual(await claim(10), [], 'the third waits while two are active');
    const ended = await endCall(project.id, ids[0], 'no_answer', 'no_answer');
    assert.equal(ended.status, 200);
    const next = await claim(10);
    assert.deepEqual(
      next.map((j) => j.job_id),
      [ids[2]],
    );
    await runtime(`/internal/v1/dial-jobs/${next[0]?.job_id}/confirm`, { lease_token: next[0]?.lease_token });
  });

  test("a project's configuration may allow other countries", async () => {
    await updateDialSettings(t.store.db, t.projectA, { allowed_country_codes: JSON.stringify(['34', '351']) });
    try {
      assert.equal((await place({ from_number: '+34910000100', to_number: '+351912345678' })).status, 201);
      assert.equal((await place({ from_number: '+34910000100', to_number: '+33612345678' })).status, 400);
    } finally {
      await updateDialSettings(t.store.db, t.projectA, { allowed_country_codes: null });
    }
    await drain();
  });

  test('jobs of ended or deleted calls and expired Idempotency-Keys are purged; live ones are kept', async () => {
    const db = t.store.db;
    const live = await place({ from_number: '+34910000100', to_number: '+34612000040' });
    const ended = await place({ from_number: '+34910000100', to_number: '+34612000041' });
    await endCall(t.projectA, ended.body.id, 'failed', 'busy');
    await purgeExpired(db);
    const jobs = await db
      .selectFrom('dial_jobs')
      .innerJoin('calls', 'calls.id', 'dial_jobs.call_id')
      .select(['call_id', 'calls.status'])
      .execute();
    assert.ok(
      jobs.some((j) => j.call_id === live.body.id),
      'the job of a dialing call stays',
    );
    assert.ok(!jobs.some((j) => j.call_id === ended.body.id), 'the job of an ended call is gone');
    assert.ok(
      jobs.every((j) => j.status === 'dialing' || j.status === 'in_progress'),
      JSON.stringify(jobs),
    );
    assert.equal(
      (await db.selectFrom('dial_jobs').select('call_id').execute()).length,
      jobs.length,
      'no job is left without its call',
    );

    // A minute ahead of the clock: the app's own pass (every 100 ms in this suite, on the real
    // clock) must not purge 'old' first, or this purge would find nothing (it did, once, in CI).
    const now = Date.now() * 1000 + 60_000_000;
    const saved = await place(
      { from_number: '+34910000100', to_number: '+34612000042' },
      { 'idempotency-key': 'fresh' },
    );
    await db
      .insertInto('idempotency_keys')
      .values({
        project_id: t.projectA,
        key: 'old',
        request_hash: 'x',
        call_id: saved.body.id,
        created_date: dbInstant(db, now - IDEMPOTENCY_WINDOW_MICROS - 1_000_000),
      })
      .execute();
    assert.equal((await purgeExpired(db, now)).keys, 1);
    const keys = (await db.selectFrom('idempotency_keys').select('key').execute()).map((k) => k.key);
    assert.ok(keys.includes('fresh') && !keys.includes('old'), keys.join());
    await drain();
  });

  test('the app purges on its own, with no runtime claiming', async () => {
    const ended = await place({ from_number: '+34910000100', to_number: '+34612000043' });
    await endCall(t.projectA, ended.body.id, 'no_answer', 'timeout');
    const jobOf = () =>
      t.store.db.selectFrom('dial_jobs').select('call_id').where('call_id', '=', ended.body.id).execute();
    await pollUntil('the job of the ended call is purged', jobOf, (jobs) => jobs.length === 0);
  });

  test('a long-polling claim is answered as soon as a call is placed', async () => {
    // Timers as long as the claims' waits, started before them: they run out no later.
    const waitRanOut = timer(10_000);
    const arrived = new Promise<void>((resolve) => (claimArrived = resolve));
    const waiting = claim(1, 10_000);
    await arrived; // the claim looks for jobs before the call below is placed
    const placed = await place({ from_number: '+34910000100', to_number: '+34612000030' });
    const jobs = await waiting;
    assert.deepEqual(
      jobs.map((j) => j.job_id),
      [placed.body.id],
    );
    assert.equal(waitRanOut.done, false, 'answered before its wait ran out');
    waitRanOut.clear();
    await runtime(`/internal/v1/dial-jobs/${jobs[0]?.job_id}/confirm`, { lease_token: jobs[0]?.lease_token });
    const emptyWaitRanOut = timer(300);
    assert.deepEqual(await claim(1, 300), []);
    assert.equal(emptyWaitRanOut.done, true, 'an empty answer comes after the wait');
  });
});

describe('Outbound calls: the OpenAPI document', () => {
  test('documents POST /v1/call/ and the dial-job endpoints', async () => {
    const t = await buildTestApp();
    try {
      const doc = (await t.app.inject('/openapi.json')).json();
      assert.equal(doc.paths['/v1/call/'].post.operationId, 'make_call_v1_call__post');
      assert.ok(doc.paths['/internal/v1/dial-jobs/claim'].post);
      assert.match(doc.paths['/v1/call/'].post.description, /Idempotency-Key/);
    } finally {
      await t.close();
    }
  });
});
