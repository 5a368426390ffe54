import { agentSchemas } from './agents.js';
import { apiKeySchemas } from './api-keys.js';
import { callSchemas } from './calls.js';
import { errorSchemas } from './errors.js';
import { messageSchemas } from './messages.js';
import { phoneSchemas } from './phones.js';
import { recordingSchemas } from './recordings.js';
import { webhookSchemas } from './webhooks.js';

/** Every named schema of the contract, as `$ref`s name them: validation, serialization, OpenAPI. */
export const contractSchemas = [
  ...errorSchemas,
  ...callSchemas,
  ...messageSchemas,
  ...recordingSchemas,
  ...apiKeySchemas,
  ...webhookSchemas,
  ...agentSchemas,
  ...phoneSchemas,
];
