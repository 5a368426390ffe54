import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { RuntimeEvent } from '../../../src/contract/events.js';
import { renderCallView } from '../../../src/contract/call-response.js';
import { selectCallsWithContact, type CallWithContact } from '../../../src/store/calls-repo.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, getCallAs, postEvents, type TestApp } from '../../helpers/app.js';

/**
 * Order tolerance: whatever order, duplication and batching the runtime delivers a call's events
 * in, the call ends up as in-order delivery makes it. Two apps (one fed in order, one fed
 * shuffled) serve all runs; each run's ids get a fresh random first group so that runs (and
 * fast-check's shrinking, which repeats values) never share a call or an event.
 */
const RUNS = Number(process.env.DIGA_PROPERTY_RUNS ?? 60);

const uuid = fc.uuid({ version: 4 });
const second = fc.integer({ min: 0, max: 120 }); // narrow on purpose: ties in occurred_at happen

type Spec =
  | { type: 'call.created'; at: number; callType: 'inbound' | 'outbound'; identifier: string }
  | { type: 'call.answered'; at: number }
  | { type: 'call.ended'; at: number; outcome: 'completed' | 'failed' | 'transferred' | 'no_answer'; reason: string }
  | { type: 'call.recording_ready'; at: number; n: number }
  | { type: 'call.message'; at: number; text: string };

const eventSpec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({
    type: fc.constant('call.created' as const),
    at: second,
    callType: fc.constantFrom('inbound' as const, 'outbound' as const),
    identifier: fc.constantFrom('+34600000001', '+34910000002'),
  }),
  fc.record({ type: fc.constant('call.answered' as const), at: second }),
  fc.record({
    type: fc.constant('call.ended' as const),
    at: second,
    outcome: fc.constantFrom('completed' as const, 'failed' as const, 'transferred' as const, 'no_answer' as const),
    reason: fc.constantFrom('hangup', 'timeout'),
  }),
  fc.record({ type: fc.constant('call.recording_ready' as const), at: second, n: fc.nat(9) }),
  fc.record({ type: fc.constant('call.message' as const), at: second, text: fc.string({ maxLength: 20 }) }),
);

/** Gives a run's ids their own namespace, keeping their order within the run. */
function scoped(ids: string[]): string[] {
  const prefix = randomBytes(4).toString('hex');
  return ids.map((id) => prefix + id.slice(8));
}

function toEvents(projectId: string, callId: string, eventIds: string[], specs: Spec[]): RuntimeEvent[] {
  const base = Date.parse('2026-11-20T10:00:00Z');
  return specs.map((spec, i) => {
    const envelope = {
      event_id: eventIds[i] as string,
      project_id: projectId,
      call_id: callId,
      occurred_at: new Date(base + spec.at * 1000).toISOString(),
    };
    switch (spec.type) {
      case 'call.created':
        return {
          ...envelope,
          type: spec.type,
          data: {
            type: spec.callType,
            contact: { identifier: spec.identifier, contact_type: 'call' as const },
            dynamic_variables: { i },
          },
        };
      case 'call.answered':
        return { ...envelope, type: spec.type, data: {} };
      case 'call.ended':
        return { ...envelope, type: spec.type, data: { outcome: spec.outcome, end_reason: spec.reason } };
      case 'call.recording_ready':
        return { ...envelope, type: spec.type, data: { recording_url: `https://r.example/${spec.n}.mp3` } };
      case 'call.message':
        return { ...envelope, type: spec.type, data: { role: 'user' as const, content: spec.text } };
    }
  });
}

/** A call's lifecycle: always one created among the events, plus 0 to 12 more of any type. */
const callScenario = fc
  .tuple(
    eventSpec.filter((s) => s.type === 'call.created'),
    fc.array(eventSpec, { maxLength: 12 }),
  )
  .chain(([created, rest]) => {
    const specs = [created, ...rest];
    return fc.record({
      specs: fc.constant(specs),
      callId: uuid,
      eventIds: fc.uniqueArray(uuid, { minLength: specs.length, maxLength: specs.length }),
      order: fc.shuffledSubarray(
        specs.map((_, i) => i),
        { minLength: specs.length, maxLength: specs.length },
      ),
      duplicates: fc.array(fc.nat(specs.length - 1), { maxLength: 5 }),
      cuts: fc.array(fc.nat(specs.length + 5), { maxLength: 4 }),
    });
  });

function inOrder(events: RuntimeEvent[]): RuntimeEvent[] {
  return [...events].sort(
    (a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || (a.event_id < b.event_id ? -1 : 1),
  );
}

async function callAndTranscript(t: TestApp, callId: string): Promise<unknown> {
  const response = await getCallAs(t.app, t.keyA, callId);
  const call = response.statusCode === 200 ? response.json() : { status: response.statusCode };
  if (call.contact) delete call.contact.id; // each store mints its own contact ids
  const messages = await t.store.db
    .selectFrom('call_messages')
    .select(['id', 'role', 'content', 'created_date'])
    .where('call_id', '=', callId)
    .orderBy('created_date')
    .orderBy('id')
    .execute();
  // The row behind the view and the list filters, but what differs by app or by delivery: each
  // app has its own project, contact ids and times, and the status sequence counts the changes
  // announced to webhooks, which depend on the batches (a batch announces each status it reaches).
  const stored = await t.store.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
  const { project_id: _p, contact_id: _c, updated_at: _u, status_sequence: _s, ...row } = stored ?? {};
  return { call, row, messages };
}

/**
 * Every stored view is what rendering the call now gives. Runs share two contacts, so a run whose
 * call is a contact's earliest sighting re-dates the contact under earlier runs' calls.
 */
async function assertViewsCurrent(t: TestApp): Promise<void> {
  const rows = (await selectCallsWithContact(t.store.db).execute()) as CallWithContact[];
  for (const row of rows) assert.equal(row.view, renderCallView(row), `the stored view of call ${row.id}`);
}

describeEachBackend('ingestion properties', (backend) => {
  let reference: TestApp;
  let shuffled: TestApp;
  before(async () => {
    reference = await buildTestApp({ backend });
    shuffled = await buildTestApp({ backend });
  });
  after(async () => {
    await reference.close();
    await shuffled.close();
  });

  test('any permutation, duplication and batching gives the in-order result', async () => {
    await fc.assert(
      fc.asyncProperty(
        callScenario,
        async ({ specs, callId: rawCallId, eventIds: rawEventIds, order, duplicates, cuts }) => {
          const [callId = '', ...eventIds] = scoped([rawCallId, ...rawEventIds]);
          const refEvents = toEvents(reference.projectA, callId, eventIds, specs);
          const refResponse = await postEvents(reference.app, reference.runtimeToken, inOrder(refEvents));
          assert.equal(refResponse.statusCode, 200, refResponse.body);

          const events = toEvents(shuffled.projectA, callId, eventIds, specs);
          const delivery = [
            ...order.map((i) => events[i] as RuntimeEvent),
            ...duplicates.map((i) => events[i] as RuntimeEvent),
          ];
          const bounds = [...new Set([0, ...cuts.filter((c) => c < delivery.length), delivery.length])].sort(
            (a, b) => a - b,
          );
          for (let b = 0; b + 1 < bounds.length; b += 1) {
            const batch = delivery.slice(bounds[b], bounds[b + 1]);
            if (batch.length === 0) continue;
            const response = await postEvents(shuffled.app, shuffled.runtimeToken, batch);
            assert.equal(response.statusCode, 200, response.body);
          }
          assert.deepEqual(await callAndTranscript(shuffled, callId), await callAndTranscript(reference, callId));
          await assertViewsCurrent(shuffled);
        },
      ),
      {
        numRuns: RUNS,
        includeErrorInReport: true,
        ...(process.env.DIGA_PROPERTY_SEED ? { seed: Number(process.env.DIGA_PROPERTY_SEED) } : {}),
      },
    );
  });

  const corruptions: [string, (e: Record<string, unknown>) => Record<string, unknown>][] = [
    ['event_id', (e) => ({ ...e, event_id: 'not-a-uuid' })],
    ['occurred_at', (e) => ({ ...e, occurred_at: '2026-13-40T99:00:00Z' })],
    ['type', (e) => ({ ...e, type: 'call.exploded' })],
    ['data', (e) => ({ ...e, data: 'nope' })],
    ['project_id', (e) => ({ ...e, project_id: '00000000-0000-4000-8000-000000000000' })],
    ['missing call_id', ({ call_id: _c, ...e }) => e],
  ];

  test('a batch with one bad event is rejected whole and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        callScenario,
        fc.nat(),
        fc.constantFrom(...corruptions),
        async ({ specs, callId: rawCallId, eventIds: rawEventIds }, pick, [, corrupt]) => {
          const [callId = '', ...eventIds] = scoped([rawCallId, ...rawEventIds]);
          const events = toEvents(shuffled.projectA, callId, eventIds, specs);
          const half = Math.ceil(events.length / 2);
          const first = await postEvents(shuffled.app, shuffled.runtimeToken, events.slice(0, half));
          assert.equal(first.statusCode, 200, first.body);
          const before = await callAndTranscript(shuffled, callId);
          const count = async () =>
            (
              await shuffled.store.db
                .selectFrom('call_events')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n;
          const rowsBefore = await count();

          const rest = events.slice(half);
          const batch: unknown[] = rest.length > 0 ? [...rest] : [events[0]];
          const victim = pick % batch.length;
          batch[victim] = corrupt(batch[victim] as Record<string, unknown>);
          const response = await postEvents(shuffled.app, shuffled.runtimeToken, batch);
          assert.equal(response.statusCode, 422, response.body);
          assert.ok(
            response.json().detail.some((d: { loc: unknown[] }) => d.loc[2] === victim),
            `the 422 names events[${victim}]: ${response.body}`,
          );
          assert.equal(await count(), rowsBefore);
          assert.deepEqual(await callAndTranscript(shuffled, callId), before);
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
