import { Type } from '@sinclair/typebox';
import { Nullable } from '../kernel/typebox.js';

/** The internal dial-job API's bodies, documented for runtime authors (src/simulator is one). */
const uuid = Type.String({ format: 'uuid' });
const AgentConfig = Type.Object(
  {},
  { additionalProperties: true, description: "The version's configuration, as given" },
);

export const DialInstructionsSchema = Type.Object(
  {
    call_id: uuid,
    project_id: uuid,
    from_number: Type.String({ description: "The phone's number or SIP identifier" }),
    to_number: Type.String({ description: 'E.164' }),
    phone_register_id: uuid,
    agent_id: uuid,
    agent_version_id: uuid,
    dynamic_variables: Type.Object(
      {},
      {
        additionalProperties: true,
        description: "The agent's variables overridden by the call's",
      },
    ),
    agent: AgentConfig,
    sip: Type.Object({
      termination_uri: Type.String(),
      username: Nullable(Type.String()),
      password: Nullable(Type.String()),
      media_encryption: Type.String(),
    }),
  },
  { title: 'DialInstructions' },
);

export const ClaimResponseSchema = Type.Object(
  {
    jobs: Type.Array(
      Type.Object({
        job_id: uuid,
        lease_token: Type.String({ description: 'Give it back to confirm the job' }),
        lease_expires_at: Type.String({ format: 'date-time' }),
        attempt: Type.Integer({ minimum: 1, description: 'How many times the job was claimed, this one included' }),
        call: DialInstructionsSchema,
      }),
    ),
  },
  { title: 'ClaimedDialJobs' },
);

export const InboundRouteSchema = Type.Object(
  {
    project_id: uuid,
    phone_register_id: uuid,
    number: Type.String(),
    agent_id: uuid,
    agent_version_id: uuid,
    agent: AgentConfig,
  },
  { title: 'InboundRoute' },
);
