import type { FastifyReply, FastifyRequest } from 'fastify';

export type ResponseHeaders = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * What every response carries: its request id, and the headers of a JSON API that no browser
 * should render, frame or sniff. The Swagger UI under /docs is an HTML page with its own
 * scripts, so it is left without the CSP. Set by one onRequest hook, and by the answer to a URL
 * that fails before hooks run.
 */
export function responseHeaders(options: { hsts: boolean }): ResponseHeaders {
  const headers = securityHeaders(options);
  const docsHeaders = { ...headers };
  delete docsHeaders['content-security-policy'];
  return (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.headers(request.url.startsWith('/docs') ? docsHeaders : headers);
  };
}

/** The headers of a JSON API that no browser should render, frame or sniff. */
export function securityHeaders(options: { hsts: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  };
  // Only when clients reach the service over https (DIGA_PUBLIC_URL says so): HSTS over http is ignored.
  if (options.hsts) headers['strict-transport-security'] = 'max-age=31536000';
  return headers;
}
