import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InFlight, planClaims } from '../../../src/domain/webhooks/claim.js';

const limits = { perProject: 4, perWebhook: 2 };
const hooks = (project: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ webhook_id: `${project}-${i}`, project_id: project }));
const total = (picks: { count: number }[]) => picks.reduce((n, p) => n + p.count, 0);

/** How one process shares its delivery slots between projects and webhooks. */
describe('fair claim plan', () => {
  test('a project with many webhooks gets its share; another still gets slots', () => {
    // B's 40 webhooks wait longest, so come first.
    const { picks } = planClaims([...hooks('b', 40), ...hooks('a', 1)], new InFlight(), limits, 16, undefined);
    assert.equal(total(picks.filter((p) => p.webhookId.startsWith('b'))), 4);
    assert.deepEqual(
      picks.filter((p) => p.webhookId.startsWith('a')),
      [{ webhookId: 'a-0', count: 2 }],
    );
  });

  test('what is already in flight counts: a project at its share gets nothing more', () => {
    const inFlight = new InFlight();
    for (let i = 0; i < 4; i++) inFlight.add({ project_id: 'b', webhook_id: `b-${i}` });
    inFlight.add({ project_id: 'a', webhook_id: 'a-0' });
    const { picks } = planClaims([...hooks('b', 40), ...hooks('a', 1)], inFlight, limits, 11, undefined);
    assert.deepEqual(picks, [{ webhookId: 'a-0', count: 1 }]);
    for (let i = 0; i < 4; i++) inFlight.remove({ project_id: 'b', webhook_id: `b-${i}` });
    assert.equal(inFlight.byProject.has('b'), false);
  });

  test('round-robin: with fewer slots than projects, the next claim starts after the project served first', () => {
    const candidates = [...hooks('p1', 1), ...hooks('p2', 1), ...hooks('p3', 1)];
    const first = planClaims(candidates, new InFlight(), limits, 1, undefined);
    assert.deepEqual(first.picks, [{ webhookId: 'p1-0', count: 1 }]);
    const second = planClaims(candidates, new InFlight(), limits, 1, first.servedFirst);
    assert.deepEqual(second.picks, [{ webhookId: 'p2-0', count: 1 }]);
    const third = planClaims(candidates, new InFlight(), limits, 1, 'p3');
    assert.deepEqual(third.picks, [{ webhookId: 'p1-0', count: 1 }]);
  });
});
