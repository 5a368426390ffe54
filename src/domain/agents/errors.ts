import { ApiError, errors, RequestValidationError } from '../../kernel/errors.js';

/** Every error the agents resource answers with; codes and messages as Diga's reference names them. */
export const agentErrors = {
  notFound: (agentId: string) => new ApiError(404, 'AGENT_NOT_FOUND', `Agent ${agentId} not found`),
  versionNotFound: (versionId: string) =>
    new ApiError(404, 'AGENT_VERSION_NOT_FOUND', `Agent version ${versionId} not found`),
  draftNotPublishable: () =>
    new ApiError(400, 'BAD_PARAMETER', 'The draft cannot be published: launch it as a version first'),
  versionAndPublishedTogether: () =>
    errors.badParameter('Cannot specify both version_id and is_published parameters together'),
  noPublishedVersion: (agentId: string) => errors.badParameter(`Agent ${agentId} has no published version`),
  phonesNeedVersion: () => errors.badParameter('Phone numbers can only be bound to a published version'),
  publishedAgentNotDeletable: (agentId: string) =>
    new ApiError(409, 'PUBLISHED_AGENT_VERSION_DELETION', `Cannot delete agent ${agentId} with published versions`),
  versionInUseNotDeletable: (what: 'draft' | 'published', versionId: string, agentId: string) =>
    new ApiError(
      409,
      'PUBLISHED_AGENT_VERSION_DELETION',
      `Cannot delete ${what} version ${versionId} of agent ${agentId}`,
    ),
  /** The reference: mode 'path' REQUIRES conversational_path_id (a 422, as pydantic reports it). */
  pathWithoutConversationalPath: (where: string) =>
    new RequestValidationError([
      {
        type: 'value_error',
        loc: [where, 'conversational_path_id'],
        msg: "Value error, conversational_path_id is required when mode is 'path'",
        input: null,
      },
    ]),
} as const;
