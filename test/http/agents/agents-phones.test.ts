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

  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, key = t.keyA) {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
    const body = response.body === '' ? undefined : response.json();
    if (response.statusCode >= 400) {
      assertMatchesReference('detail' in (body ?? {}) ? 'HTTPValidationError' : 'ErrorResponseSchema', body);
    }
    return { status: response.statusCode, body };
  }

  const newAgent = async (extra: object = {}) => {
    const created = await call('POST', '/v1/agent/', { name: 'Recepción', voice_id: VOICE, language: 'es', ...extra });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const importPhone = async (phone_number: string, extra: object = {}) => {
    const imported = await call('POST', '/v1/phone/import', { phone_number, ...extra });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    return imported.body;
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

    const draft = await call('GET', `/v1/agent/${agent.agent_id}`);
    assert.equal(draft.status, 200);
    assertMatchesReference('AgentResponseSchema', draft.body);
    assert.equal(draft.body.is_draft, true);
    assert.equal(draft.body.version_number, 0);
    assert.equal(draft.body.prompt, agent.prompt);

    const onlyDraft = await call('POST', '/v1/agent/?is_draft=true', { voice_id: VOICE, language: 'en' });
    assert.equal(onlyDraft.status, 201);
    assert.equal(onlyDraft.body.is_draft, true);
    const versions = await call('GET', `/v1/agent/${onlyDraft.body.agent_id}/version`);
    assert.equal(versions.body.data.length, 1);
  });

  test('bad agent bodies are 422 in FastAPI shape; mode path needs a conversational path', async () => {
    const missing = await call('POST', '/v1/agent/', { name: 'x' });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.detail.map((d: { loc: string[] }) => d.loc.join('.')).sort(), [
      'body.language',
      'body.voice_id',
    ]);
    const badLanguage = await call('POST', '/v1/agent/', { voice_id: VOICE, language: 'klingon' });
    assert.equal(badLanguage.status, 422);
    const path = await call('POST', '/v1/agent/', { voice_id: VOICE, language: 'es', mode: 'path' });
    assert.equal(path.status, 422);
    assert.deepEqual(path.body.detail[0].loc, ['body', 'conversational_path_id']);
    const badTool = await call('POST', '/v1/agent/', {
      voice_id: VOICE,
      language: 'es',
      call_tools: [{ type: 'teleport', name: 'x' }],
    });
    assert.equal(badTool.status, 422);
  });

  test('update changes the draft only; launch freezes it as the next version', async () => {
    const agent = await newAgent({ prompt: 'v1 prompt' });
    const updated = await call('PATCH', `/v1/agent/${agent.agent_id}`, { prompt: 'v2 prompt', volume: 80 });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.prompt, 'v2 prompt');
    assert.equal(updated.body.volume, 80);
    assert.equal(updated.body.name, 'Recepción', 'fields not named keep their value');
    const v1 = await call('GET', `/v1/agent/${agent.agent_id}?version_id=${agent.version_id}`);
    assert.equal(v1.body.prompt, 'v1 prompt');

    const v2 = await call('POST', `/v1/agent/${agent.agent_id}/version`, { version_name: 'summer' });
    assert.equal(v2.status, 201);
    assert.equal(v2.body.version_number, 2);
    assert.equal(v2.body.prompt, 'v2 prompt');
    const list = await call('GET', `/v1/agent/${agent.agent_id}/version?order=asc`);
    assert.deepEqual(
      list.body.data.map((v: { version_number: number }) => v.version_number),
      [0, 1, 2],
    );
    assertMatchesReference('PaginatedResponse_AgentResponseSchema_', list.body);

    const both = await call('GET', `/v1/agent/${agent.agent_id}?version_id=${agent.version_id}&is_published=true`);
    assert.equal(both.status, 400);
    assert.equal(both.body.error_code, 'BAD_PARAMETER');
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
    const bad = await call('POST', '/v1/phone/import', { phone_number: '910000001' });
    assert.equal(bad.status, 422);
    const again = await call('POST', '/v1/phone/import', { phone_number: '+34910000001' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error_code, 'PHONE_NUMBER_ALREADY_EXISTS');

    const got = await call('GET', `/v1/phone/${phone.id}`);
    assert.deepEqual(got.body, phone);
    const renamed = await call('PATCH', `/v1/phone/${phone.id}`, { nickname: 'Sede Madrid' });
    assert.equal(renamed.body.nickname, 'Sede Madrid');
    const list = await call('GET', '/v1/phone/?limit=100');
    assertMatchesReference('PaginatedResponse_PhoneRegisterResponseSchema_', list.body);
    assert.ok(list.body.data.some((p: { id: string }) => p.id === phone.id));

    const released = await call('DELETE', `/v1/phone/${sip.id}`);
    assert.equal(released.status, 204);
    assert.equal((await call('GET', `/v1/phone/${sip.id}`)).status, 404);
  });

  test('publishing binds phones; a published version cannot be deleted, nor its agent', async () => {
    const agent = await newAgent();
    const phone = await importPhone('+34910000002', { outbound_config: { termination_uri: 'trunk.example.com' } });
    const draftId = (await call('GET', `/v1/agent/${agent.agent_id}`)).body.version_id;
    const draft = await call('PATCH', `/v1/agent/${agent.agent_id}/published_version`, { version_id: draftId });
    assert.equal(draft.status, 400, 'the draft is not publishable');

    const published = await call('PATCH', `/v1/agent/${agent.agent_id}/published_version`, {
      version_id: agent.version_id,
      outbound_phone_number_id: phone.id,
      inbound_phone_number_id: phone.id,
    });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assertMatchesReference('PublishAgentResponse', published.body);
    const bound = await call('GET', `/v1/phone/${phone.id}`);
    assert.equal(bound.body.outbound_agent_id, agent.agent_id);
    assert.equal(bound.body.inbound_agent_id, agent.agent_id);
    const byAgent = await call('GET', `/v1/phone/?outbound_agent_id=${agent.agent_id}`);
    assert.deepEqual(
      byAgent.body.data.map((p: { id: string }) => p.id),
      [phone.id],
    );
    const publishedView = await call('GET', `/v1/agent/${agent.agent_id}?is_published=true`);
    assert.equal(publishedView.body.version_id, agent.version_id);
    assert.equal(publishedView.body.is_published, true);
    const publishedList = await call('GET', '/v1/agent/?is_published=true');
    assert.ok(publishedList.body.data.some((a: { agent_id: string }) => a.agent_id === agent.agent_id));

    const deleteVersion = await call('DELETE', `/v1/agent/${agent.agent_id}/version/${agent.version_id}`);
    assert.equal(deleteVersion.status, 409);
    assert.equal(deleteVersion.body.error_code, 'PUBLISHED_AGENT_VERSION_DELETION');
    const deleteDraft = await call('DELETE', `/v1/agent/${agent.agent_id}/version/${draftId}`);
    assert.equal(deleteDraft.status, 409);
    const deleteAgent = await call('DELETE', `/v1/agent/${agent.agent_id}`);
    assert.equal(deleteAgent.status, 409);

    // A second version published through the phone while the first is bound there moves it.
    const v2 = (await call('POST', `/v1/agent/${agent.agent_id}/version`, {})).body;
    const other = await importPhone('+34910000003');
    const conflict = await call('PATCH', `/v1/phone/${other.id}`, { outbound_version_id: v2.version_id });
    assert.equal(conflict.status, 409, 'one published version per agent');
    assert.equal(conflict.body.error_code, 'AGENT_ALREADY_PUBLISHED');

    const unpublished = await call('PATCH', `/v1/agent/${agent.agent_id}/published_version`, { version_id: null });
    assert.equal(unpublished.body.published_version_id, null);
    assert.equal((await call('GET', `/v1/phone/${phone.id}`)).body.outbound_agent_id, null);
    assert.equal((await call('DELETE', `/v1/agent/${agent.agent_id}/version/${agent.version_id}`)).status, 204);
    assert.equal((await call('DELETE', `/v1/agent/${agent.agent_id}`)).status, 204);
    assert.equal((await call('GET', `/v1/agent/${agent.agent_id}`)).status, 404);
  });

  test("another project's agents and phones answer like ones that do not exist; permissions apply", async () => {
    const agent = await newAgent();
    const phone = await importPhone('+34910000004');
    for (const url of [`/v1/agent/${agent.agent_id}`, `/v1/agent/${agent.agent_id}/version`, `/v1/phone/${phone.id}`]) {
      const theirs = await call('GET', url, undefined, t.keyB);
      const unknown = await call('GET', url.replace(/[0-9a-f-]{36}/, randomUUID()), undefined, t.keyB);
      assert.equal(theirs.status, 404, url);
      assert.equal(theirs.body.error_code, unknown.body.error_code);
    }
    const publish = await call(
      'PATCH',
      `/v1/agent/${agent.agent_id}/published_version`,
      { version_id: agent.version_id },
      t.keyB,
    );
    assert.equal(publish.status, 404);
    const listB = await call('GET', '/v1/phone/', undefined, t.keyB);
    assert.equal(listB.body.data.length, 0);

    const viewer = await t.keyFor(t.projectA, ['agents.view', 'phones.view']);
    assert.equal((await call('GET', '/v1/agent/', undefined, viewer)).status, 200);
    const denied = await call('POST', '/v1/phone/import', { phone_number: '+34910000005' }, viewer);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error_code, 'MISSING_PERMISSIONS');
    assert.equal((await call('DELETE', `/v1/agent/${agent.agent_id}`, undefined, viewer)).status, 403);
  });
});
