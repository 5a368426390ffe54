import type { Static } from '@sinclair/typebox';
import type { AgentResponseSchema, PublishAgentResponseSchema } from '../../contract/agents.js';
import type { AgentRow, AgentVersionRow } from '../../store/agents-repo.js';
import { formatInstant } from '../../kernel/time.js';
import { CONFIG_DEFAULTS, type AgentConfig } from './agent-config.js';

export type AgentView = Static<typeof AgentResponseSchema>;
export type PublishedAgentView = Static<typeof PublishAgentResponseSchema>;

/** AgentResponseSchema: the agent's dates and one of its versions, keys in the reference's order. */
export function toAgentView(agent: AgentRow, version: AgentVersionRow): AgentView {
  const c = { ...CONFIG_DEFAULTS, ...(JSON.parse(version.config) as AgentConfig) };
  const view = {
    agent_id: agent.id,
    modified_at: formatInstant(agent.modified_at ?? agent.created_date),
    created_at: formatInstant(agent.created_date),
    version_id: version.id,
    version_name: version.name,
    version_number: version.number,
    version_created_at: formatInstant(version.created_date),
    is_draft: version.is_draft === 1,
    is_published: agent.published_version_id === version.id,
    name: c.name,
    description: c.description,
    prompt: c.prompt,
    greeting: c.greeting,
    time_before_start: c.time_before_start,
    voice: voiceOf(c.voice_id),
    volume: c.volume,
    language: c.language,
    max_reminder_count: c.max_reminder_count,
    reminder_frequency_ms: c.reminder_frequency_ms,
    reminder_messages: c.reminder_messages,
    knowledge_base_ids: c.knowledge_base_ids,
    knowledge_item_ids: c.knowledge_item_ids,
    mode: c.mode,
    conversational_path_id: c.conversational_path_id,
    integrations: integrationsOf(c.integrations),
    call_tools: c.call_tools ?? [],
    dynamic_variables: c.dynamic_variables,
    background_audio: c.background_audio,
    flows: flowsOf(c.flow_ids),
    source_template_id: null,
    voicemail_detection: c.voicemail_detection,
    voicemail_action: c.voicemail_action,
    voicemail_message: c.voicemail_message,
    phone_menu_detection: c.phone_menu_detection,
    phone_menu_action: c.phone_menu_action,
    phone_menu_navigation_mode: c.phone_menu_navigation_mode,
    phone_menu_goal: c.phone_menu_goal,
    phone_menu_key_sequence: c.phone_menu_key_sequence,
    validation_issues: null,
  };
  return view as unknown as AgentView;
}

/**
 * The voice catalog belongs to the voice runtime, not to this service: the voice is known by its
 * id only, which stands in for its name and its provider id (see README, "Agents").
 */
function voiceOf(voiceId: string) {
  return {
    id: voiceId,
    name: voiceId,
    provider: 'elevenlabs',
    provider_voice_id: voiceId,
    preview_urls: null,
    gender: null,
    is_favourite: false,
  };
}

function integrationsOf(integrations: unknown) {
  return ((integrations ?? []) as { integration_id: string; tool_ids: string[] }[]).map((i) => ({
    integration_id: i.integration_id,
    // Integrations are managed outside this service: their id stands in for their name.
    integration_name: i.integration_id,
    tool_ids: i.tool_ids,
    requires_setup: false,
    source_integration_template_id: null,
  }));
}

/** Flows are managed outside this service: a flow is shown by its id alone. */
function flowsOf(flowIds: unknown) {
  return ((flowIds ?? []) as string[]).map((id) => ({
    id,
    name: null,
    requires_setup: false,
    source_flow_template_id: null,
    status: null,
    produced_variables: [],
    consumed_variables: [],
  }));
}
