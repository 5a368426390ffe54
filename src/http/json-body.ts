import type { FastifyInstance } from 'fastify';
import { errors } from '../kernel/errors.js';

export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most items in any one array, and most keys in any one object. */
  maxItems: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxItems: 10_000 };

/**
 * JSON bodies parsed as Fastify does (prototype poisoning refused), then bounded in shape: a
 * 1 MiB body can nest half a million levels or hold as many items, which validation, error
 * echoes and serialization would walk recursively. No endpoint needs more than the limits.
 */
export function registerJsonParser(app: FastifyInstance, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // No body at all is no body, as FastAPI sees it: routes that take none (a DELETE sent with a
    // client's default Content-Type) are unaffected, and those that need one say it is missing.
    if (body === '') return done(null, undefined);
    parse(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      const problem = shapeProblem(value, limits);
      if (problem !== undefined) return done(errors.bodyTooComplex(problem), undefined);
      done(null, value);
    });
  });
}

/** Walks without recursion, so the walk itself cannot overflow the stack. */
function shapeProblem(root: unknown, { maxDepth, maxItems }: JsonLimits): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return `JSON body nests deeper than ${maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (children.length > maxItems) return `JSON body has an array or object of more than ${maxItems} items`;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return undefined;
}
