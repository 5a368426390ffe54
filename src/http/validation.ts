import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { RequestValidationError, type ValidationIssue } from '../kernel/errors.js';
import { parseUuid } from '../kernel/uuid.js';
import { LATEST_INSTANT_TEXT, EARLIEST_INSTANT_TEXT, readInstant } from '../kernel/time.js';
import { canonicalizerFor, type Canonicalize } from './canonical-ids.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Where FastAPI says a value came from, by Fastify's name for the request part. */
const LOCATION: Record<string, string> = { body: 'body', params: 'path', querystring: 'query', headers: 'header' };

/**
 * Validators for request parts. Two Ajv instances because FastAPI's rules differ by part: path,
 * query and header values arrive as text and are coerced ("5" is an integer there), while a JSON
 * body is taken strictly as sent, as pydantic does. `uuid` and `date-time` are the lax forms
 * pydantic accepts, so what validates here is exactly what the domain can parse (a date-time
 * also within the instants both stores keep exactly, kernel/time.ts, else pydantic's
 * `less_than_equal`/`greater_than_equal` for a bounded datetime); a UUID that validates is then
 * rewritten to its canonical form (canonical-ids.ts), so handlers get only that.
 */
export function createValidatorCompiler(sharedSchemas: object[]): FastifySchemaCompiler<unknown> {
  const strict = newAjv(false, sharedSchemas);
  const coercing = newAjv('array', sharedSchemas);
  const byId = new Map(sharedSchemas.map((schema) => [(schema as { $id: string }).$id, schema]));
  return ({ schema, httpPart }) => {
    const canonicalize = canonicalizerFor(schema as object, byId);
    const validate = compilePart(schema as object, httpPart);
    return canonicalize === undefined ? validate : thenCanonical(validate, canonicalize);
  };

  function compilePart(schema: object, httpPart: string | undefined): Validate {
    if (httpPart !== 'body') return coercing.compile(schema);
    const validate = strict.compile(schema);
    // A route that takes a body was sent none (see json-body.ts), or JSON null: FastAPI's
    // "Field required". Fastify hands both over as null.
    const validateBody = (data: unknown) => {
      if (data === null || data === undefined) return { error: new RequestValidationError([MISSING_BODY]) };
      const valid = validate(data);
      validateBody.errors = validate.errors;
      return valid;
    };
    validateBody.errors = undefined as typeof validate.errors;
    return validateBody;
  }
}

type Validate = ReturnType<FastifySchemaCompiler<unknown>>;

/** `validate`, then, when the value was valid, its UUIDs rewritten in place. */
function thenCanonical(validate: Validate, canonicalize: Canonicalize): Validate {
  const validateThenCanonicalize: Validate = (data) => {
    const valid = validate(data);
    validateThenCanonicalize.errors = validate.errors;
    if (valid === true) canonicalize(data);
    return valid;
  };
  return validateThenCanonicalize;
}

const MISSING_BODY: ValidationIssue = { type: 'missing', loc: ['body'], msg: 'Field required', input: null };

function newAjv(coerceTypes: false | 'array', sharedSchemas: object[]): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    discriminator: true,
    strict: false,
  });
  addFormats(ajv);
  ajv.addFormat('uuid', { type: 'string', validate: (value: string) => parseUuid(value).ok });
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => readInstant(value).ok });
  for (const schema of sharedSchemas) ajv.addSchema(schema);
  return ajv;
}

/** FastAPI/pydantic-shaped issues for Ajv's errors on one request part. */
export function issuesFromAjv(errors: ErrorObject[], httpPart: string | undefined): ValidationIssue[] {
  const root = LOCATION[httpPart ?? 'body'] ?? 'body';
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // A failed oneOf/anyOf or if/then is summarized by the errors of its branches.
    if (['oneOf', 'anyOf', 'if'].includes(error.keyword)) continue;
    if (isNullBranchOf(error, errors)) continue;
    const issue = toIssue(error, root);
    const key = JSON.stringify(issue.loc) + issue.type;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * The `null` branch of a nullable value (`anyOf: [X, null]`, pydantic's Optional[X]) that failed
 * because the value is not null: pydantic reports only what is wrong with it as an X.
 */
function isNullBranchOf(error: ErrorObject, errors: ErrorObject[]): boolean {
  if (error.keyword !== 'type' || (error.params as { type?: unknown }).type !== 'null') return false;
  const path = error.instancePath;
  return errors.some(
    (other) =>
      other !== error &&
      !['oneOf', 'anyOf', 'if'].includes(other.keyword) &&
      (other.instancePath === path || other.instancePath.startsWith(`${path}/`)),
  );
}

function pathOf(error: ErrorObject, root: string): (string | number)[] {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return [root, ...segments];
}

function toIssue(error: ErrorObject, root: string): ValidationIssue {
  const loc = pathOf(error, root);
  const input = error.data;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { type: 'missing', loc: [...loc, String(p.missingProperty)], msg: 'Field required', input };
    case 'type':
      return typeIssue(String(p.type), loc, input);
    case 'enum':
    case 'const': {
      const allowed = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
      const expected = humanList(allowed.map((v) => `'${String(v)}'`));
      return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
    }
    case 'discriminator': {
      const schema = error.parentSchema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] };
      const tag = String(p.tag);
      const allowed = (schema.oneOf ?? []).map((b) => `'${String(b.properties?.[tag]?.const)}'`);
      const expected = humanList(allowed);
      if (p.error === 'tag') {
        return { type: 'missing', loc: [...loc, tag], msg: 'Field required', input };
      }
      const value = (input as Record<string, unknown> | null)?.[tag];
      return { type: 'enum', loc: [...loc, tag], msg: `Input should be ${expected}`, input: value, ctx: { expected } };
    }
    case 'format':
      return formatIssue(String(p.format), loc, input);
    case 'minItems':
      return countIssue('too_short', 'List', 'at least', Number(p.limit), loc, input);
    case 'maxItems':
      return countIssue('too_long', 'List', 'at most', Number(p.limit), loc, input);
    case 'minLength':
      return lengthIssue('string_too_short', 'at least', Number(p.limit), loc, input);
    case 'maxLength':
      return lengthIssue('string_too_long', 'at most', Number(p.limit), loc, input);
    case 'minimum':
      return {
        type: 'greater_than_equal',
        loc,
        msg: `Input should be greater than or equal to ${String(p.limit)}`,
        input,
        ctx: { ge: p.limit },
      };
    case 'maximum':
      return {
        type: 'less_than_equal',
        loc,
        msg: `Input should be less than or equal to ${String(p.limit)}`,
        input,
        ctx: { le: p.limit },
      };
    case 'additionalProperties':
      return {
        type: 'extra_forbidden',
        loc: [...loc, String(p.additionalProperty)],
        msg: 'Extra inputs are not permitted',
        input: (input as Record<string, unknown>)?.[String(p.additionalProperty)],
      };
    default:
      return { type: 'value_error', loc, msg: `Value error, ${error.message ?? 'invalid value'}`, input };
  }
}

const TYPE_MESSAGES: Record<string, [string, string]> = {
  string: ['string_type', 'Input should be a valid string'],
  integer: ['int_type', 'Input should be a valid integer'],
  number: ['float_type', 'Input should be a valid number'],
  boolean: ['bool_type', 'Input should be a valid boolean'],
  object: ['dict_type', 'Input should be a valid dictionary'],
  array: ['list_type', 'Input should be a valid list'],
  null: ['none_required', 'Input should be None'],
};

function typeIssue(expected: string, loc: (string | number)[], input: unknown): ValidationIssue {
  // A union such as "string,null" reports its first non-null member, as pydantic does.
  const first = expected.split(',').find((t) => t !== 'null') ?? expected;
  if (first === 'integer' && typeof input === 'string') {
    return {
      type: 'int_parsing',
      loc,
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input,
    };
  }
  if (first === 'integer' && typeof input === 'number' && Number.isFinite(input)) {
    return {
      type: 'int_from_float',
      loc,
      msg: 'Input should be a valid integer, got a number with a fractional part',
      input,
    };
  }
  const [type, msg] = TYPE_MESSAGES[first] ?? ['value_error', `Input should be a valid ${first}`];
  return { type, loc, msg, input };
}

function formatIssue(format: string, loc: (string | number)[], input: unknown): ValidationIssue {
  if (format === 'uuid' && typeof input === 'string') {
    const parsed = parseUuid(input);
    const error = parsed.ok ? 'invalid' : parsed.error;
    return { type: 'uuid_parsing', loc, msg: `Input should be a valid UUID, ${error}`, input, ctx: { error } };
  }
  if (format === 'date-time' && typeof input === 'string') {
    const reading = readInstant(input);
    if (!reading.ok && reading.error === 'too_early') {
      const ge = EARLIEST_INSTANT_TEXT;
      return {
        type: 'greater_than_equal',
        loc,
        msg: `Input should be greater than or equal to ${ge}`,
        input,
        ctx: { ge },
      };
    }
    if (!reading.ok && reading.error === 'too_late') {
      const le = LATEST_INSTANT_TEXT;
      return { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${le}`, input, ctx: { le } };
    }
  }
  if (format === 'date-time') {
    const error = 'input is not a valid RFC 3339 date-time with an offset';
    return {
      type: 'datetime_from_date_parsing',
      loc,
      msg: `Input should be a valid datetime, ${error}`,
      input,
      ctx: { error },
    };
  }
  if (format === 'uri') {
    return { type: 'url_parsing', loc, msg: 'Input should be a valid URL', input };
  }
  return { type: 'value_error', loc, msg: `Input should be a valid ${format}`, input };
}

function countIssue(
  type: string,
  what: string,
  bound: string,
  limit: number,
  loc: (string | number)[],
  input: unknown,
): ValidationIssue {
  const actual = Array.isArray(input) ? input.length : 0;
  const noun = limit === 1 ? 'item' : 'items';
  return {
    type,
    loc,
    msg: `${what} should have ${bound} ${limit} ${noun} after validation, not ${actual}`,
    input,
    ctx: { field_type: what, [bound === 'at least' ? 'min_length' : 'max_length']: limit, actual_length: actual },
  };
}

function lengthIssue(
  type: string,
  bound: string,
  limit: number,
  loc: (string | number)[],
  input: unknown,
): ValidationIssue {
  const noun = limit === 1 ? 'character' : 'characters';
  return {
    type,
    loc,
    msg: `String should have ${bound} ${limit} ${noun}`,
    input,
    ctx: { [bound === 'at least' ? 'min_length' : 'max_length']: limit },
  };
}

/** "'a', 'b' or 'c'", pydantic's way of listing what was expected. */
function humanList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
