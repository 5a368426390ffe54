import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { REFUSED_LITERALS, REFUSED_NAMES, resolveRefusedName } from '../../helpers/refused-hosts.js';

/**
 * Creation and update refuse every address that is not globally reachable, however it is spelled
 * and whatever name leads to it, and the refusal says nothing about what a name resolved to.
 * Every request here is refused: the one webhook made is at a loopback address the test allows.
 */
describeEachBackend('webhooks: SSRF at creation and update', (backend) => {
  let t: TestApp;
  /**
   * Allowed by the test's policy, and never delivered to (no delivery worker runs here). By name:
   * allowing 127.0.0.1 would let its other spellings (127.1, 2130706433) through, as it should.
   */
  const loopbackUrl = 'https://localhost:9/hook';

  before(async () => {
    t = await buildTestApp({
      backend,
      webhooks: { policy: { allowHttp: false, allowedHosts: new Set(['localhost']) }, resolve: resolveRefusedName },
    });
  });
  after(() => t.close());

  const refusal = async (method: 'POST' | 'PATCH', path: string, url: string) => {
    const response = await t.api.request(method, path, { url, subscribed_events: ['status_changed'] });
    assert.equal(response.statusCode, 422, `${method} ${url}: ${response.body}`);
    const [detail] = response.json().detail as { loc: string[]; msg: string; type: string }[];
    assert.deepEqual(detail?.loc, ['body', 'url'], url);
    assert.equal(detail?.type, 'value_error', url);
    return detail!.msg;
  };

  test('every spelling of a forbidden address is refused as written', async () => {
    const answers = await Promise.all(
      REFUSED_LITERALS.map(async ([host]) => {
        const url = `https://${host}/hook`;
        return [host, await t.api.post('/v1/webhook/', { url, subscribed_events: ['status_changed'] })] as const;
      }),
    );
    assert.deepEqual(
      answers.filter(([, response]) => response.statusCode !== 422).map(([host]) => host),
      [],
      'accepted',
    );
    for (const [host] of REFUSED_LITERALS) {
      assert.match(await refusal('POST', '/v1/webhook/', `https://${host}/hook`), /is not publicly reachable/, host);
    }
  });

  test('a name that resolves to one is refused, and the message reveals neither the address nor the range', async () => {
    for (const [name, answers] of Object.entries(REFUSED_NAMES)) {
      const message = await refusal('POST', '/v1/webhook/', `https://${name}/hook`);
      assert.equal(message, `Value error, webhook URL ${name} resolves to an address that is not publicly reachable`);
      for (const address of answers) assert.ok(!message.includes(address), `${name}: ${address} revealed`);
    }
  });

  test('an existing webhook cannot be moved to any of them either', async () => {
    const created = await t.api.post('/v1/webhook/', { url: loopbackUrl, subscribed_events: ['status_changed'] });
    assert.equal(created.statusCode, 200, created.body);
    const path = `/v1/webhook/${created.json().id}`;
    try {
      for (const [host] of REFUSED_LITERALS) await refusal('PATCH', path, `https://${host}/hook`);
      for (const name of Object.keys(REFUSED_NAMES)) await refusal('PATCH', path, `https://${name}/hook`);
      assert.equal((await t.api.get(path)).json().url, loopbackUrl, 'the webhook still points where it did');
    } finally {
      await t.api.delete(path);
    }
  });

  test('nothing was created by any refused request', async () => {
    assert.deepEqual(await t.store.db.selectFrom('webhooks').select('url').execute(), []);
  });
});
