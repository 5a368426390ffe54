import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';

const VOICE = '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10';

describeEachBackend('Agents, versions and phones', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  const newAgent = async (extra: object = {}) => {
    const created = await t.api.post('/v1/agent/', { name: 'Recepción', voice_id: VOICE, language: 'es', ...extra });
    assert.equal(created.statusCode, 201, created.body);
    return created.json();
  };
  const importPhone = async (phone_number: string, extra: object = {}) => {
    const imported = await t.api.post('/v1/phone/import', { phone_number, ...extra });
    assert.equal(imported.statusCode, 200, imported.body);
    return imported.json();
  };

  test('an agent is created as version 1 and a draft; every field comes back as given or defaulted', async () => {
    const agent = await newAgent({
      prompt: 'Eres la recepcionista de una clínica dental.',
      greeting: 'Hola, ¿en qué puedo ayudarte?',
      call_tools: [{ type: 'hang_up', name: 'end_call' }],
      dynamic_variables: { clinic: 'Sonrisas' },
      version_name: 'first',
    });
    assertMatchesReference('AgentResponseSchema', agent);
    assert.equal(agent.version_number, 1);
    assert.equal(agent.version_name, 'first');
    assert.equal(agent.is_draft, false);
    assert.equal(agent.is_published, false);
    assert.equal(agent.volume, 50);
    assert.equal(agent.mode, 'free');
    assert.equal(agent.voicemail_action, 'leave_message');
    assert.deepEqual(agent.call_tools, [{ type: 'hang_up', name: 'end_call' }]);
    assert.deepEqual(agent.dynamic_variables, { clinic: 'Sonrisas' });
    assert.equal(agent.voice.id, VOICE);

    const draft = await t.api.get(`/v1/agent/${agent.agent_id}`);
    assert.equal(draft.statusCode, 200);
    assertMatchesReference('AgentResponseSchema', draft.json());
    assert.equal(draft.json().is_draft, true);
    assert.equal(draft.json().version_number, 0);
    assert.equal(draft.json().prompt, agent.prompt);

    const onlyDraft = await t.api.post('/v1/agent/?is_draft=true', { voice_id: VOICE, language: 'en' });
    assert.equal(onlyDraft.statusCode, 201);
    assert.equal(onlyDraft.json().is_draft, true);
    const versions = await t.api.get(`/v1/agent/${onlyDraft.json().agent_id}/version`);
    assert.equal(versions.json().data.length, 1);
  });

  test('bad agent bodies are 422 in FastAPI shape; mode path needs a conversational path', async () => {
    const missing = await t.api.post('/v1/agent/', { name: 'x' });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(
      missing
        .json()
        .detail.map((d: { loc: string[] }) => d.loc.join('.'))
        .sort(),
      ['body.language', 'body.voice_id'],
    );
    const badLanguage = await t.api.post('/v1/agent/', { voice_id: VOICE, language: 'klingon' });
    assert.equal(badLanguage.statusCode, 422);
    const path = await t.api.post('/v1/agent/', { voice_id: VOICE, language: 'es', mode: 'path' });
    assert.equal(path.statusCode, 422);
    assert.deepEqual(path.json().detail[0].loc, ['body', 'conversational_path_id']);
    const badTool = await t.api.post('/v1/agent/', {
      voice_id: VOICE,
      language: 'es',
      call_tools: [{ type: 'teleport', name: 'x' }],
    });
    assert.equal(badTool.statusCode, 422);
  });

  test('update changes the draft only; launch freezes it as the next version', async () => {
    const agent = await newAgent({ prompt: 'v1 prompt' });
    const updated = await t.api.patch(`/v1/agent/${agent.agent_id}`, { prompt: 'v2 prompt', volume: 80 });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().prompt, 'v2 prompt');
    assert.equal(updated.json().volume, 80);
    assert.equal(updated.json().name, 'Recepción', 'fields not named keep their value');
    const v1 = await t.api.get(`/v1/agent/${agent.agent_id}?version_id=${agent.version_id}`);
    assert.equal(v1.json().prompt, 'v1 prompt');

    const v2 = await t.api.post(`/v1/agent/${agent.agent_id}/version`, { version_name: 'summer' });
    assert.equal(v2.statusCode, 201);
    assert.equal(v2.json().version_number, 2);
    assert.equal(v2.json().prompt, 'v2 prompt');
    const list = await t.api.get(`/v1/agent/${agent.agent_id}/version?order=asc`);
    assert.deepEqual(
      list.json().data.map((v: { version_number: number }) => v.version_number),
      [0, 1, 2],
    );
    assertMatchesReference('PaginatedResponse_AgentResponseSchema_', list.json());

    const both = await t.api.get(`/v1/agent/${agent.agent_id}?version_id=${agent.version_id}&is_published=true`);
    assert.equal(both.statusCode, 400);
    assert.equal(both.json().error_code, 'BAD_PARAMETER');
  });

  test('phones: import, get, list, rename, release; numbers are validated', async () => {
    const phone = await importPhone('+34910000001', {
      nickname: 'Madrid',
      outbound_config: { termination_uri: 'trunk.example.com', username: 'u', password: 'secret' },
    });
    assertMatchesReference('PhoneRegisterResponseSchema', phone);
    assert.equal(phone.telephony_provider, 'custom');
    assert.equal(phone.status, 'assigned');
    assert.equal(phone.sip_config.termination_uri, 'trunk.example.com');
    assert.ok(!JSON.stringify(phone).includes('secret'), 'the trunk password is never shown');

    const sip = await importPhone('reception@pbx.example.com');
    assert.equal(sip.number, 'reception@pbx.example.com');
    const bad = await t.api.post('/v1/phone/import', { phone_number: '910000001' });
    assert.equal(bad.statusCode, 422);
    const again = await t.api.post('/v1/phone/import', { phone_number: '+34910000001' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error_code, 'PHONE_NUMBER_ALREADY_EXISTS');

    const got = await t.api.get(`/v1/phone/${phone.id}`);
    assert.deepEqual(got.json(), phone);
    const renamed = await t.api.patch(`/v1/phone/${phone.id}`, { nickname: 'Sede Madrid' });
    assert.equal(renamed.json().nickname, 'Sede Madrid');
    const list = await t.api.get('/v1/phone/?limit=100');
    assertMatchesReference('PaginatedResponse_PhoneRegisterResponseSchema_', list.json());
    assert.ok(list.json().data.some((p: { id: string }) => p.id === phone.id));

    const released = await t.api.delete(`/v1/phone/${sip.id}`);
    assert.equal(released.statusCode, 204);
    assert.equal((await t.api.get(`/v1/phone/${sip.id}`)).statusCode, 404);
  });

  test('publishing binds phones; a published version cannot be deleted, nor its agent', async () => {
    const agent = await newAgent();
    const phone = await importPhone('+34910000002', { outbound_config: { termination_uri: 'trunk.example.com' } });
    const draftId = (await t.api.get(`/v1/agent/${agent.agent_id}`)).json().version_id;
    const draft = await t.api.patch(`/v1/agent/${agent.agent_id}/published_version`, { version_id: draftId });
    assert.equal(draft.statusCode, 400, 'the draft is not publishable');

    const published = await t.api.patch(`/v1/agent/${agent.agent_id}/published_version`, {
      version_id: agent.version_id,
      outbound_phone_number_id: phone.id,
      inbound_phone_number_id: phone.id,
    });
    assert.equal(published.statusCode, 200, published.body);
    assertMatchesReference('PublishAgentResponse', published.json());
    const bound = await t.api.get(`/v1/phone/${phone.id}`);
    assert.equal(bound.json().outbound_agent_id, agent.agent_id);
    assert.equal(bound.json().inbound_agent_id, agent.agent_id);
    const byAgent = await t.api.get(`/v1/phone/?outbound_agent_id=${agent.agent_id}`);
    assert.deepEqual(
      byAgent.json().data.map((p: { id: string }) => p.id),
      [phone.id],
    );
    const publishedView = await t.api.get(`/v1/agent/${agent.agent_id}?is_published=true`);
    assert.equal(publishedView.json().version_id, agent.version_id);
    assert.equal(publishedView.json().is_published, true);
    const publishedList = await t.api.get('/v1/agent/?is_published=true');
    assert.ok(publishedList.json().data.some((a: { agent_id: string }) => a.agent_id === agent.agent_id));

    const deleteVersion = await t.api.delete(`/v1/agent/${agent.agent_id}/version/${agent.version_id}`);
    assert.equal(deleteVersion.statusCode, 409);
    assert.equal(deleteVersion.json().error_code, 'PUBLISHED_AGENT_VERSION_DELETION');
    const deleteDraft = await t.api.delete(`/v1/agent/${agent.agent_id}/version/${draftId}`);
    assert.equal(deleteDraft.statusCode, 409);
    const deleteAgent = await t.api.delete(`/v1/agent/${agent.agent_id}`);
    assert.equal(deleteAgent.statusCode, 409);

    // A second version published through the phone while the first is bound there moves it.
    const v2 = (await t.api.post(`/v1/agent/${agent.agent_id}/version`, {})).json();
    const other = await importPhone('+34910000003');
    const conflict = await t.api.patch(`/v1/phone/${other.id}`, { outbound_version_id: v2.version_id });
    assert.equal(conflict.statusCode, 409, 'one published version per agent');
    assert.equal(conflict.json().error_code, 'AGENT_ALREADY_PUBLISHED');

    const unpublished = await t.api.patch(`/v1/agent/${agent.agent_id}/published_version`, { version_id: null });
    assert.equal(unpublished.json().published_version_id, null);
    assert.equal((await t.api.get(`/v1/phone/${phone.id}`)).json().outbound_agent_id, null);
    assert.equal((await t.api.delete(`/v1/agent/${agent.agent_id}/version/${agent.version_id}`)).statusCode, 204);
    assert.equal((await t.api.delete(`/v1/agent/${agent.agent_id}`)).statusCode, 204);
    assert.equal((await t.api.get(`/v1/agent/${agent.agent_id}`)).statusCode, 404);
  });

  test("another project's agents and phones answer like ones that do not exist; permissions apply", async () => {
    const agent = await newAgent();
    const phone = await importPhone('+34910000004');
    for (const url of [`/v1/agent/${agent.agent_id}`, `/v1/agent/${agent.agent_id}/version`, `/v1/phone/${phone.id}`]) {
      const theirs = await t.api.get(url, { key: t.keyB });
      const unknown = await t.api.get(url.replace(/[0-9a-f-]{36}/, randomUUID()), { key: t.keyB });
      assert.equal(theirs.statusCode, 404, url);
      assert.equal(theirs.json().error_code, unknown.json().error_code);
    }
    const publish = await t.api.patch(
      `/v1/agent/${agent.agent_id}/published_version`,
      { version_id: agent.version_id },
      { key: t.keyB },
    );
    assert.equal(publish.statusCode, 404);
    const listB = await t.api.get('/v1/phone/', { key: t.keyB });
    assert.equal(listB.json().data.length, 0);

    const viewer = await t.keyFor(t.projectA, ['agents.view', 'phones.view']);
    assert.equal((await t.api.get('/v1/agent/', { key: viewer })).statusCode, 200);
    const denied = await t.api.post('/v1/phone/import', { phone_number: '+34910000005' }, { key: viewer });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error_code, 'MISSING_PERMISSIONS');
    assert.equal((await t.api.delete(`/v1/agent/${agent.agent_id}`, { key: viewer })).statusCode, 403);
  });
});
