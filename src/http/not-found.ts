import type { FastifyInstance } from 'fastify';
import { errors } from '../kernel/errors.js';
import { sendApiError } from './error-handler.js';

interface KnownRoute {
  pattern: RegExp;
  methods: Set<string>;
}

/**
 * What Starlette does when no route matches: a path that exists under other methods is a 405
 * with `Allow`; a path that exists with or without a trailing slash is a 307 to that form; the
 * rest is a 404. All in Diga's error envelope. Call before routes are registered.
 */
export function registerNotFound(app: FastifyInstance): void {
  const routes = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route) => {
    // The catch-all CORS preflight route says nothing about which paths exist.
    if (route.url === '*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const m of methods) known.methods.add(m.toUpperCase());
    routes.set(route.url, known);
  });

  const methodsFor = (path: string): Set<string> => {
    const allowed = new Set<string>();
    for (const route of routes.values()) {
      if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m);
    }
    return allowed;
  };

  app.setNotFoundHandler((request, reply) => {
    const [path = '/', query] = splitUrl(request.url);
    const allowed = methodsFor(path);
    if (allowed.size > 0) {
      return sendApiError(reply, errors.methodNotAllowed([...allowed].sort().join(', ')));
    }
    const alternate = path.endsWith('/') ? path.replace(/\/+$/, '') : `${path}/`;
    if (alternate !== '' && methodsFor(alternate).has(request.method)) {
      return reply.redirect(alternate + (query === undefined ? '' : `?${query}`), 307);
    }
    return sendApiError(reply, errors.routeNotFound());
  });
}

function splitUrl(url: string): [string, string | undefined] {
  const at = url.indexOf('?');
  return at === -1 ? [url, undefined] : [url.slice(0, at), url.slice(at + 1)];
}

function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : escape(segment)))
    .join('/');
  return new RegExp(`^${source}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
