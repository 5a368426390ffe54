import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { rotateWebhookSecret } from '../../../domain/webhooks/rotate-webhook-secret.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { WebhookIdParamsSchema, WebhookSecretResponseSchema } from '../../../contract/webhooks.js';
import { webhookCommon, webhookItemErrors } from './common.js';

/** POST /v1/webhook/{id}/rotate: a new signing secret, shown in this answer only. */
export const rotateWebhookSecretRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/webhook/:id/rotate',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Rotate Webhook Secret',
        description:
          'Generate a new signing secret for a webhook. The new secret is returned only in this response; the old secret stops signing immediately — there is no grace period.',
        operationId: 'rotate_webhook_secret_v1_webhook__id__rotate_post',
        params: WebhookIdParamsSchema,
        response: {
          200: Type.Ref(WebhookSecretResponseSchema, { description: 'Successful Response' }),
          ...webhookItemErrors,
        },
      },
    },
    async (request) => rotateWebhookSecret(deps.db, principalOf(request).projectId, request.params.id),
  );
};
