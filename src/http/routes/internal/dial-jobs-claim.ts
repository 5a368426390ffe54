import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { claimJobs, type ClaimedJob } from '../../../domain/dialing/dial-jobs.js';
import { requireRuntimeToken } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { ClaimResponseSchema } from '../../../contract/dial-jobs.js';
import { runtimeCommon } from './common.js';

/** How often a waiting claim looks for jobs placed through other API processes. */
const POLL_MS = 250;

const ClaimRequestSchema = Type.Object({
  max_jobs: Type.Integer({ minimum: 1, maximum: 100, default: 1, description: 'Take at most this many jobs' }),
  wait_ms: Type.Integer({
    minimum: 0,
    maximum: 30_000,
    default: 0,
    description: 'When no job is due, wait up to this long for one (long poll)',
  }),
  runtime_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Who claims, kept with the job for operators' }),
  ),
});

/**
 * POST /internal/v1/dial-jobs/claim: the runtime takes calls to dial, waiting for one if asked.
 * The wait ends early when the client goes away or the server shuts down.
 */
export const claimDialJobsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, clock, dialing, dialSignal, streams } = deps;
  app.post(
    '/internal/v1/dial-jobs/claim',
    {
      onRequest: requireRuntimeToken(deps),
      schema: {
        ...runtimeCommon,
        summary: 'Claim dial jobs',
        description: `Takes up to \`max_jobs\` calls to dial, oldest first, each leased to the caller for ${dialing.leaseMs / 1000} s (DIGA_DIAL_LEASE_SECONDS). Confirm each job once the call is placed; a job not confirmed within its lease is offered again (at most DIGA_DIAL_MAX_ATTEMPTS times, then its call ends \`failed\`). Projects at their concurrency cap keep their jobs queued. With \`wait_ms\`, an empty answer comes only after waiting that long for a job. Then report the call's progress through POST /internal/v1/events with the job's \`call.call_id\` and \`call.project_id\`.`,
        operationId: 'claim_dial_jobs_internal_v1_dial_jobs_claim_post',
        body: ClaimRequestSchema,
        response: {
          200: ClaimResponseSchema,
          401: errorResponse('Invalid or missing runtime token'),
          422: validationErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { max_jobs: maxJobs, wait_ms: waitMs, runtime_id: runtimeId } = request.body;
      const deadline = Date.now() + waitMs;
      let stopped = false;
      const stop = () => {
        stopped = true;
        dialSignal.notify();
      };
      reply.raw.once('close', stop);
      streams.add(stop);
      try {
        for (;;) {
          const jobs: ClaimedJob[] = stopped ? [] : await claimJobs(db, maxJobs, runtimeId ?? null, dialing, clock);
          const left = deadline - Date.now();
          if (jobs.length > 0 || left <= 0 || stopped) return { jobs };
          await dialSignal.wait(Math.min(POLL_MS, left));
        }
      } finally {
        streams.delete(stop);
        reply.raw.off('close', stop);
      }
    },
  );
};
