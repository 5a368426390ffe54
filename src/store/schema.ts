/**
 * Row types of every table, as Kysely sees them. Instants are whole microseconds since the
 * epoch (see domain/time.ts); JSON columns hold serialized text.
 */
export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  runtime_tokens: RuntimeTokensTable;
  agents: AgentsTable;
  agent_versions: AgentVersionsTable;
  phone_registers: PhoneRegistersTable;
  contacts: ContactsTable;
  calls: CallsTable;
  call_views: CallViewsTable;
  call_events: CallEventsTable;
  call_messages: CallMessagesTable;
  recordings: RecordingsTable;
  deleted_calls: DeletedCallsTable;
  settings: SettingsTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_status_changes: WebhookStatusChangesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  dial_jobs: DialJobsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export interface ProjectsTable {
  id: string;
  name: string;
  created_date: number;
  /** Calls dialing or in progress at once (outbound); null: the server's default. */
  max_concurrent_calls: number | null;
  /** JSON array of calling codes ("34") `to_number` may have; null: Spain only. */
  allowed_country_codes: string | null;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  name: string;
  key_hash: string;
  last_four_digits: string;
  restricted: number;
  /** JSON array of permissions; null when unrestricted. */
  permissions: string | null;
  creator_id: string;
  expires_at: number | null;
  revoked_at: number | null;
  created_date: number;
}

export interface RuntimeTokensTable {
  id: string;
  name: string;
  token_hash: string;
  revoked_at: number | null;
  created_date: number;
}

export interface AgentsTable {
  id: string;
  project_id: string;
  name: string;
  created_date: number;
  modified_at: number | null;
  published_version_id: string | null;
  draft_version_id: string | null;
}

export interface AgentVersionsTable {
  id: string;
  project_id: string;
  agent_id: string;
  name: string | null;
  created_date: number;
  /** 1, 2, … for launched versions; 0 for the draft. */
  number: number;
  is_draft: number;
  mode: string;
  /** JSON: the agent's configuration fields, as AgentRequest names them. */
  config: string;
  modified_at: number | null;
}

export interface PhoneRegistersTable {
  id: string;
  project_id: string;
  /** An E.164 number or a SIP identifier. */
  number: string;
  /** The number as routing sees it (kernel/phone-routing-key.ts): unique among numbers held. */
  routing_key: string;
  created_date: number;
  nickname: string | null;
  telephony_provider: string;
  status: string;
  assigned_at: number | null;
  inbound_version_id: string | null;
  outbound_version_id: string | null;
  /** JSON SipConfig: termination_uri, username, password, encryption, allowed addresses. */
  sip_config: string | null;
}

export type DialJobState = 'queued' | 'claimed' | 'confirmed';

export interface DialJobsTable {
  call_id: string;
  project_id: string;
  state: DialJobState;
  /** JSON: what the runtime needs to place the call. */
  payload: string;
  attempts: number;
  lease_token: string | null;
  lease_until: number | null;
  claimed_by: string | null;
  created_date: number;
  confirmed_at: number | null;
}

export interface IdempotencyKeysTable {
  project_id: string;
  key: string;
  request_hash: string;
  call_id: string;
  created_date: number;
}

export interface ContactsTable {
  id: string;
  project_id: string;
  contact_type: string;
  identifier: string;
  created_date: number;
}

export interface CallsTable {
  id: string;
  project_id: string;
  status: string;
  type: string;
  contact_id: string;
  agent_id: string | null;
  agent_version_id: string | null;
  phone_register_id: string | null;
  recording_url: string | null;
  start_time: number | null;
  end_time: number | null;
  duration: number | null;
  end_reason: string | null;
  dynamic_variables: string | null;
  created_date: number;
  updated_at: number;
  /** Status changes so far: the sequence of the call's status_changed webhook events. */
  status_sequence: number;
}

/** One row per call, beside `calls`: what GET /v1/call/{id} reads, packed apart from the rest. */
export interface CallViewsTable {
  id: string;
  project_id: string;
  /**
   * The call's CallResponse JSON as last rendered, with the runtime's recording_url (a recording
   * stored here is signed per request). Kept current by every write to the call or its contact;
   * the column admits null, which calls stored before views existed had until 0010 rendered them.
   */
  view: string;
}

export interface CallEventsTable {
  event_id: string;
  project_id: string;
  call_id: string;
  type: string;
  occurred_at: number;
  /** The event's canonical JSON: what a replay is compared against. */
  payload: string;
  received_at: number;
}

export interface CallMessagesTable {
  id: string;
  project_id: string;
  call_id: string;
  role: string;
  content: string | null;
  tool_call: string | null;
  created_date: number;
}

export interface RecordingsTable {
  call_id: string;
  project_id: string;
  blob_key: string;
  content_type: string;
  size: number;
  created_date: number;
}

export interface DeletedCallsTable {
  id: string;
  project_id: string;
  deleted_at: number;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface WebhooksTable {
  id: string;
  project_id: string;
  url: string;
  /** JSON array of WebhookEvent names. */
  subscribed_events: string;
  secret: string;
  created_date: number;
  /** 1: deliveries show recording_url; 0: the key that set the URL lacked recordings.view. */
  shows_recordings: number;
  /** Deliveries in a row that failed; 0 after any success. */
  consecutive_failures: number;
  /** While it backs off after failures, none of its events is sent before this instant. */
  retry_after: number | null;
}

/** A call's status change, not yet expanded into every webhook's outbox (fan-out.ts). */
export interface WebhookStatusChangesTable {
  id: string;
  project_id: string;
  call_id: string;
  /** The sequence of the first status in `data`. */
  sequence: number;
  /** JSON array: the CallResponse as it stood at each status reached, in order. */
  data: string;
  created_date: number;
  /** The last webhook (by id) that has this change's events; null: none yet. */
  fanned_out_to: string | null;
}

export type WebhookEventStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEventsTable {
  id: string;
  webhook_id: string;
  project_id: string;
  call_id: string;
  sequence: number;
  /** The exact JSON body sent (and signed). */
  payload: string;
  status: WebhookEventStatus;
  attempts: number;
  next_attempt_at: number;
  /** While a worker is delivering it, others leave it alone until then. */
  lease_until: number | null;
  created_date: number;
  delivered_at: number | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  project_id: string;
  event_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  created_date: number;
}
