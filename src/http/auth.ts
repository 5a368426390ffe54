import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { errors } from '../kernel/errors.js';
import { authenticateApiKey, authenticateRuntimeToken, cachedApiKey } from '../domain/api-keys/credentials.js';
import type { Principal } from '../domain/api-keys/principal.js';
import { allows } from '../domain/api-keys/permissions.js';
import type { Permission } from '../contract/api-keys.js';
import type { RouteDeps } from './route-deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * The credential in `Authorization: Bearer <value>`, as FastAPI's HTTPBearer reads it: the
 * scheme is case-insensitive and separated from the value by whitespace.
 */
export function bearerToken(request: { headers: IncomingHttpHeaders }): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match || match[1]?.toLowerCase() !== 'bearer') return undefined;
  return match[2];
}

/**
 * onRequest hook for the public API: runs before body parsing and validation, so a request
 * without a valid key is a 401 whatever else is wrong with it (or a 429 once its address has
 * sent too many such), one over its key's or its project's rate a 429, and one without the
 * permission a 403. `action` completes Diga's message "Missing required permissions to …".
 */
export function requireApiKey(deps: RouteDeps, permission: Permission, action: string): onRequestHookHandler {
  const { db, clock, credentialCache, rateLimits } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    let principal = token === undefined ? undefined : cachedApiKey(db, token, credentialCache, clock());
    if (principal === undefined) {
      rateLimits.guardAddress(request.ip, reply);
      principal = token === undefined ? undefined : await authenticateApiKey(db, token, credentialCache, clock());
      if (principal === undefined) {
        rateLimits.chargeFailedAttempt(request.ip);
        throw errors.invalidApiKey();
      }
    }
    // Responses to an authenticated caller hold that project's data: never cache them.
    reply.header('cache-control', 'no-store');
    await rateLimits.chargeApiKey(principal.keyId, principal.projectId, reply);
    if (!allows(principal, permission)) throw errors.missingPermissions(action);
    request.principal = principal;
  };
}

/** onRequest hook for the voice runtime's internal API: a runtime token, never a project key. */
export function requireRuntimeToken(deps: RouteDeps): onRequestHookHandler {
  const { db, rateLimits } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    rateLimits.guardAddress(request.ip, reply);
    const runtime = token === undefined ? undefined : await authenticateRuntimeToken(db, token);
    if (runtime === undefined) {
      rateLimits.chargeFailedAttempt(request.ip);
      throw errors.invalidRuntimeToken();
    }
    reply.header('cache-control', 'no-store');
    await rateLimits.chargeRuntimeToken(runtime.tokenId, reply);
  };
}

/** The principal an authenticated route's hook established. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error('route is missing its requireApiKey hook');
  return request.principal;
}
