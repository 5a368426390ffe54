import { agentErrors } from './errors.js';

/** An agent version's configuration: AgentRequest's fields (voice_id, language, …) as given. */
export type AgentConfig = Record<string, unknown> & { voice_id: string; language: string; mode: string };

/**
 * Defaults of AgentRequest, applied at creation (an update changes only what it names) and to
 * a stored configuration when it is shown. The wire schema does not state them: they are this
 * service's choice, so they live with the verbs that apply them.
 */
export const CONFIG_DEFAULTS: Readonly<Record<string, unknown>> = {
  name: null,
  description: null,
  prompt: null,
  greeting: null,
  time_before_start: null,
  volume: 50,
  max_reminder_count: 3,
  reminder_frequency_ms: 7500,
  reminder_messages: [],
  knowledge_base_ids: [],
  knowledge_item_ids: [],
  mode: 'free',
  conversational_path_id: null,
  integrations: [],
  call_tools: [],
  dynamic_variables: {},
  background_audio: null,
  flow_ids: [],
  voicemail_detection: false,
  voicemail_action: 'leave_message',
  voicemail_message: null,
  phone_menu_detection: false,
  phone_menu_action: 'navigate',
  phone_menu_navigation_mode: 'goal',
  phone_menu_goal: null,
  phone_menu_key_sequence: null,
};

/** The reference: mode 'path' REQUIRES conversational_path_id. */
export function assertPathMode(config: AgentConfig, where: string): void {
  if (config.mode === 'path' && (config.conversational_path_id ?? null) === null) {
    throw agentErrors.pathWithoutConversationalPath(where);
  }
}
