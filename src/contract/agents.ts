import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/**
 * The agent schemas of spec/diga-openapi-subset.json. Most fields configure the voice runtime
 * (voice, reminders, tools, voicemail and phone-menu handling): this service keeps them as given
 * and hands them to the runtime with each dial job; it acts on none of them.
 */
export const LANGUAGES = [
  'es', 'en', 'multi', 'ar', 'be', 'bn', 'bs', 'bg', 'ca', 'hr', 'cs', 'da', 'nl', 'et', 'fi', 'nl-BE', 'fr',
  'de', 'de-CH', 'el', 'he', 'hi', 'hu', 'id', 'it', 'ja', 'kn', 'ko', 'lv', 'lt', 'mk', 'ms', 'mr', 'no', 'fa',
  'pl', 'pt', 'ro', 'ru', 'sr', 'sk', 'sl', 'sv', 'tl', 'ta', 'te', 'tr', 'uk', 'ur', 'vi',
] as const; // prettier-ignore

export const AvailableLanguagesSchema = StringEnum(LANGUAGES, {
  $id: 'AvailableLanguages',
  title: 'AvailableLanguages',
});
export const AgentModeSchema = StringEnum(['free', 'path'], { $id: 'AgentMode', title: 'AgentMode' });
const BackgroundAudio = StringEnum(['call_center', 'cafe', 'road_traffic', 'park', 'office', 'car_garage'], {
  title: 'BackgroundAudio',
});
const VoicemailAction = StringEnum(['leave_message', 'hang_up'], { title: 'VoicemailAction' });
const PhoneMenuAction = StringEnum(['navigate', 'hang_up'], { title: 'PhoneMenuAction' });
const PhoneMenuNavigationMode = StringEnum(['goal', 'key_sequence'], { title: 'PhoneMenuNavigationMode' });

const uuid = (title: string) => Type.String({ format: 'uuid', title });
const text = (title: string) => Nullable(Type.String(), { title });
const uuids = (title: string) => Nullable(Type.Array(Type.String({ format: 'uuid' })), { title });

const TransferCallTool = Type.Object(
  {
    type: Type.Literal('transfer_call'),
    name: Type.String({ title: 'Call Tool name' }),
    target_number: Type.Optional(text('Target Number')),
    description: Type.Optional(text('Description')),
    transfer_type: Type.Optional(StringEnum(['transfer', 'invite'], { default: 'transfer', title: 'Transfer Type' })),
  },
  { additionalProperties: false, title: 'TransferCallToolSchema' },
);
const HangUpTool = Type.Object(
  {
    type: Type.Literal('hang_up'),
    name: Type.String({ title: 'Call Tool name' }),
    description: Type.Optional(text('Description')),
  },
  { additionalProperties: false, title: 'HangUpToolSchema' },
);
// The discriminator `type` is required, as in pydantic's discriminated unions.
const CallTool = Type.Union([TransferCallTool, HangUpTool]);
const IntegrationToolsRequest = Type.Object(
  { integration_id: uuid('Integration Id'), tool_ids: Type.Array(Type.String({ format: 'uuid' })) },
  { title: 'IntegrationToolsRequest' },
);
const DynamicVariables = Nullable(Type.Object({}, { additionalProperties: true }), { title: 'Dynamic Variables' });

/** The configuration fields an agent version carries, shared by create and update. */
const configFields = {
  name: text('Agent Name'),
  description: text('Description'),
  prompt: text('Prompt'),
  greeting: text('Greeting'),
  time_before_start: Nullable(Type.Number(), { title: 'Time Before Start' }),
  voice_id: uuid('Voice Id'),
  volume: Type.Integer({ minimum: 0, maximum: 100, title: 'Volume' }),
  language: Type.Ref(AvailableLanguagesSchema),
  max_reminder_count: Type.Integer({ minimum: 0, title: 'Max Reminder Count' }),
  reminder_frequency_ms: Type.Integer({ minimum: 1000, title: 'Reminder Frequency' }),
  reminder_messages: Type.Array(Type.String(), { title: 'Reminder Messages' }),
  knowledge_base_ids: uuids('Knowledge Base Ids'),
  knowledge_item_ids: uuids('Knowledge Item Ids'),
  mode: Type.Ref(AgentModeSchema),
  conversational_path_id: Nullable(Type.String({ format: 'uuid' }), { title: 'Conversational Path Id' }),
  integrations: Nullable(Type.Array(IntegrationToolsRequest), { title: 'Integrations' }),
  call_tools: Nullable(Type.Array(CallTool), { title: 'Call Tools' }),
  dynamic_variables: DynamicVariables,
  background_audio: Nullable(BackgroundAudio, { title: 'Background Audio' }),
  flow_ids: Nullable(Type.Array(Type.String()), { title: 'Flow IDs' }),
  voicemail_detection: Type.Boolean({ title: 'Voicemail Detection' }),
  voicemail_action: VoicemailAction,
  voicemail_message: text('Voicemail Message'),
  phone_menu_detection: Type.Boolean({ title: 'Phone Menu Detection' }),
  phone_menu_action: PhoneMenuAction,
  phone_menu_navigation_mode: PhoneMenuNavigationMode,
  phone_menu_goal: text('Phone Menu Goal'),
  phone_menu_key_sequence: text('Phone Menu Key Sequence'),
};
type ConfigField = keyof typeof configFields;

const optionalAll = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: TOptional<T[K]>;
  };

const { voice_id, language, ...optionalConfig } = configFields;
export const AgentRequestSchema = Type.Object(
  { voice_id, language, ...optionalAll(optionalConfig), version_name: Type.Optional(text('Version Name')) },
  { title: 'AgentRequest' },
);
export const AgentUpdateRequestSchema = Type.Object(optionalAll(configFields), { title: 'AgentUpdateRequest' });
export const LaunchVersionRequestSchema = Type.Object(
  { version_name: Type.Optional(text('Version Name')) },
  { title: 'LaunchVersionRequest' },
);
export const PublishAgentRequestSchema = Type.Object(
  {
    version_id: Type.Optional(Nullable(Type.String({ format: 'uuid' }), { title: 'Version Id' })),
    outbound_phone_number_id: Type.Optional(
      Nullable(Type.String({ format: 'uuid' }), { title: 'Outbound Phone Number Id' }),
    ),
    inbound_phone_number_id: Type.Optional(
      Nullable(Type.String({ format: 'uuid' }), { title: 'Inbound Phone Number Id' }),
    ),
  },
  { title: 'PublishAgentRequest' },
);
export const PublishAgentResponseSchema = Type.Object(
  {
    agent_id: uuid('Agent Id'),
    published_version_id: Nullable(Type.String({ format: 'uuid' }), { title: 'Version Id' }),
    outbound_phone_number_id: Nullable(Type.String({ format: 'uuid' }), { title: 'Outbound Phone Number Id' }),
    inbound_phone_number_id: Nullable(Type.String({ format: 'uuid' }), { title: 'Inbound Phone Number Id' }),
  },
  { $id: 'PublishAgentResponse', title: 'PublishAgentResponse' },
);

const VoiceResponseSchema = Type.Object(
  {
    id: uuid('Voice Id'),
    name: Type.String({ title: 'Voice Name' }),
    provider: StringEnum(['elevenlabs', 'gemini'], { title: 'VoiceProvider' }),
    provider_voice_id: Type.String({ title: 'Provider Voice Id' }),
    preview_urls: Nullable(Type.Record(Type.String(), Type.String()), { title: 'Preview URLs' }),
    gender: text('Gender'),
    is_favourite: Type.Boolean({ title: 'Is Favourite' }),
  },
  { title: 'VoiceResponseSchema' },
);

export const AgentResponseSchema = Type.Object(
  {
    agent_id: uuid('Agent Id'),
    modified_at: Type.String({ format: 'date-time', title: 'Last Update' }),
    created_at: Type.String({ format: 'date-time', title: 'Creation Date' }),
    version_id: uuid('Version Id'),
    version_name: text('Version Name'),
    version_number: Type.Integer({ title: 'Version Number' }),
    version_created_at: Type.String({ format: 'date-time', title: 'Version Creation Date' }),
    is_draft: Type.Boolean({ title: 'Is Draft' }),
    is_published: Type.Boolean({ title: 'Is Published' }),
    ...pick(configFields, ['name', 'description', 'prompt', 'greeting', 'time_before_start']),
    voice: VoiceResponseSchema,
    ...pick(configFields, [
      'volume',
      'language',
      'max_reminder_count',
      'reminder_frequency_ms',
      'reminder_messages',
      'knowledge_base_ids',
      'knowledge_item_ids',
      'mode',
      'conversational_path_id',
    ]),
    integrations: Type.Array(
      Type.Object({
        integration_id: uuid('Integration Id'),
        integration_name: Type.String({ title: 'Integration Name' }),
        tool_ids: Type.Array(Type.String({ format: 'uuid' })),
        requires_setup: Type.Boolean(),
        source_integration_template_id: Nullable(Type.String({ format: 'uuid' })),
      }),
      { title: 'Integrations' },
    ),
    call_tools: Type.Array(CallTool, { title: 'Call Tools' }),
    dynamic_variables: DynamicVariables,
    background_audio: configFields.background_audio,
    flows: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Nullable(Type.String()),
        requires_setup: Type.Boolean(),
        source_flow_template_id: Nullable(Type.String({ format: 'uuid' })),
        status: Nullable(StringEnum(['ENABLED', 'DISABLED'])),
        produced_variables: Type.Array(Type.String()),
        consumed_variables: Type.Array(Type.String()),
      }),
      { title: 'Flows' },
    ),
    source_template_id: Nullable(Type.String({ format: 'uuid' }), { title: 'Source Template ID' }),
    ...pick(configFields, [
      'voicemail_detection',
      'voicemail_action',
      'voicemail_message',
      'phone_menu_detection',
      'phone_menu_action',
      'phone_menu_navigation_mode',
      'phone_menu_goal',
      'phone_menu_key_sequence',
    ]),
    validation_issues: Nullable(Type.Array(Type.Object({}, { additionalProperties: true })), {
      title: 'Validation Issues',
    }),
  },
  { $id: 'AgentResponseSchema', title: 'AgentResponseSchema' },
);

export const PaginatedAgentsSchema = paginated(AgentResponseSchema, 'AgentResponseSchema');
export const agentSchemas = [
  AvailableLanguagesSchema,
  AgentModeSchema,
  AgentResponseSchema,
  PaginatedAgentsSchema,
  PublishAgentResponseSchema,
];

export const AgentIdParamsSchema = Type.Object({ agent_id: uuid('Agent Id') });

function pick<K extends ConfigField>(fields: typeof configFields, keys: readonly K[]) {
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as Pick<typeof configFields, K>;
}
