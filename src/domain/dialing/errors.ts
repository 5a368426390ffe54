import { ApiError } from '../../kernel/errors.js';

/** Every error the runtime's dialing API (dial jobs, inbound routes) answers with. */
export const dialingErrors = {
  jobNotFound: (jobId: string) => new ApiError(404, 'DIAL_JOB_NOT_FOUND', `Dial job ${jobId} not found`),
  leaseLost: (jobId: string) =>
    new ApiError(409, 'DIAL_JOB_LEASE_LOST', `The lease on dial job ${jobId} is held by another claim`),
  noInboundRoute: (phoneId: string) =>
    new ApiError(404, 'INBOUND_ROUTE_NOT_FOUND', `Phone ${phoneId} has no inbound agent`),
} as const;
