import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProject } from '../../../src/domain/projects/projects.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { describeEachBackend } from '../../helpers/backends.js';

const HELD_ELSEWHERE = {
  status: 'error',
  error_code: 'PHONE_NUMBER_ALREADY_EXISTS',
  message: 'This phone number is already imported by another project; release it there first',
};

/** A phone number routes to one project: whoever imports it first holds it until releasing it. */
describeEachBackend('phones: one project per number', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  const importAs = (key: string, phone_number: string) => t.api.post('/v1/phone/import', { phone_number }, { key });
  /** Every stored phone with this number, in any project: who an inbound call to it could reach. */
  const holders = (routingKey: string) =>
    t.store.db
      .selectFrom('phone_registers')
      .select(['id', 'project_id'])
      .where('routing_key', '=', routingKey)
      .execute();

  test("another project's number is a 409 that names no project, and the holder keeps it", async () => {
    const ofA = await importAs(t.keyA, '+34910000001');
    assert.equal(ofA.statusCode, 200, ofA.body);
    const ofB = await importAs(t.keyB, '+34910000001');
    assert.equal(ofB.statusCode, 409, ofB.body);
    assert.deepEqual(ofB.json(), HELD_ELSEWHERE);
    assert.deepEqual((await t.api.get('/v1/phone/', { key: t.keyB })).json().data, []);
    assert.equal((await t.api.get(`/v1/phone/${ofA.json().id}`)).json().number, '+34910000001');
    assert.deepEqual(await holders('+34910000001'), [{ id: ofA.json().id, project_id: t.projectA }]);
    // In its own project the number answers as before.
    const again = await importAs(t.keyA, ' +34910000001');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().message, 'Phone number +34910000001 is already in this project');
  });

  test('a SIP identifier is held in every spelling: scheme, port and the case of its domain', async () => {
    const ofA = await importAs(t.keyA, 'sip:reception@Trunk.Clinic.example:5060');
    assert.equal(ofA.statusCode, 200, ofA.body);
    for (const spelling of ['reception@trunk.clinic.example', 'sips:reception@TRUNK.clinic.example:5061']) {
      const ofB = await importAs(t.keyB, spelling);
      assert.deepEqual([ofB.statusCode, ofB.json()], [409, HELD_ELSEWHERE], spelling);
      assert.equal((await importAs(t.keyA, spelling)).json().error_code, 'PHONE_NUMBER_ALREADY_EXISTS', spelling);
    }
    // The user part is case-sensitive in SIP: another user is another line.
    assert.equal((await importAs(t.keyB, 'Reception@trunk.clinic.example')).statusCode, 200);
  });

  test('once released, the number can be imported by another project, which then holds it alone', async () => {
    const ofA = await importAs(t.keyA, '+34910000002');
    assert.equal((await t.api.delete(`/v1/phone/${ofA.json().id}`)).statusCode, 204);
    const ofB = await importAs(t.keyB, '+34910000002');
    assert.equal(ofB.statusCode, 200, ofB.body);
    assert.deepEqual(await holders('+34910000002'), [{ id: ofB.json().id, project_id: t.projectB }]);
    assert.deepEqual((await importAs(t.keyA, '+34910000002')).json(), HELD_ELSEWHERE);
  });

  test('concurrent imports of one number by eight projects: exactly one holds it', async () => {
    const keys = [t.keyA, t.keyB];
    for (let i = 0; i < 6; i++) keys.push(await t.keyFor((await createProject(t.store.db, `P${i}`)).id, null));
    const answers = await Promise.all(keys.flatMap((key) => [key, key]).map((key) => importAs(key, '+34910000003')));
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [200, ...new Array<number>(15).fill(409)]);
    for (const answer of answers) {
      if (answer.statusCode === 409) assert.equal(answer.json().error_code, 'PHONE_NUMBER_ALREADY_EXISTS');
    }
    const winner = answers.find((a) => a.statusCode === 200)!.json().id as string;
    // One row for the number in the whole store: the runtime's inbound route has one owner.
    const held = await holders('+34910000003');
    assert.deepEqual(
      held.map((h) => h.id),
      [winner],
    );
  });
});
