import pino from 'pino';
import { looksLikeCredential, REDACTED } from '../kernel/credential-shapes.js';
import { loggableQuery, loggableUrl } from './loggable-url.js';

/** How deep into a logged error's properties strings are looked at (causes, driver details). */
const MAX_DEPTH = 4;

/**
 * The logger's `err` serializer: pino's own, with every string in it (message, stack, a
 * driver's detail or query parameters) cleared of credentials, as access-log URLs are. An
 * error's text often quotes the input that caused it, and that input may be a key.
 */
export function loggableError(error: Error): LoggedError {
  // Not only Errors: `{ err: { message, code } }` is logged too, and serialized as it is.
  return redactedValue(pino.stdSerializers.err(error), 0) as LoggedError;
}

export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

function redactedValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return loggableText(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => redactedValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  // for…in: pino's serialized error keeps type, message and stack on its prototype.
  for (const key in value) copy[key] = redactedValue((value as Record<string, unknown>)[key], depth + 1);
  return copy;
}

/** Free text with whatever looks like a credential, a URL's secrets, or a `name=secret` replaced. */
export function loggableText(text: string): string {
  return text
    .replace(/\b(bearer|basic)(\s+)[^\s"'`]+/gi, `$1$2${REDACTED}`)
    .split(/([\s"'`<>()[\]{},]+)/)
    .map((token, i) => {
      if (i % 2 === 1 || token === '') return token;
      if (token.includes('?')) return loggableUrl(token);
      if (token.includes('=')) return loggableQuery(token);
      return looksLikeCredential(token) ? REDACTED : token;
    })
    .join('');
}
