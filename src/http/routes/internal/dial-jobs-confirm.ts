import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { confirmJob } from '../../../domain/dialing/dial-jobs.js';
import { requireRuntimeToken } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { runtimeCommon } from './common.js';

/** POST /internal/v1/dial-jobs/{job_id}/confirm: the runtime placed the call. */
export const confirmDialJobRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/internal/v1/dial-jobs/:job_id/confirm',
    {
      onRequest: requireRuntimeToken(deps),
      schema: {
        ...runtimeCommon,
        summary: 'Confirm a dial job',
        description:
          'The runtime placed the call: the job is no longer offered to anyone. Refused with 409 DIAL_JOB_LEASE_LOST when the lease expired and another claim holds the job, so exactly one runtime goes on with the call.',
        operationId: 'confirm_dial_job_internal_v1_dial_jobs__job_id__confirm_post',
        params: Type.Object({ job_id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ lease_token: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: {
          200: Type.Object({ job_id: Type.String({ format: 'uuid' }), state: Type.Literal('confirmed') }),
          401: errorResponse('Invalid or missing runtime token'),
          404: errorResponse('Dial job not found'),
          409: errorResponse('The lease is held by another claim'),
          422: validationErrorResponse,
        },
      },
    },
    async (request) => confirmJob(deps.db, request.params.job_id, request.body.lease_token),
  );
};
