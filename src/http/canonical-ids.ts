import { canonicalUuid } from '../kernel/uuid.js';

/** Rewrites, in place, the parts of a validated value that a schema marks as UUIDs. */
export type Canonicalize = (value: unknown) => unknown;

type Schema = {
  $ref?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

/**
 * What turns a request part's UUIDs into their canonical form once validation admitted them:
 * pydantic accepts `urn:uuid:…`, braces, upper case and no hyphens, and the domain, its lookups
 * and every body speak the canonical lower-case hyphenated form. Done here, by the schema's own
 * `format: "uuid"`, so no handler has to remember it. Undefined when the schema has no UUID.
 */
export function canonicalizerFor(schema: object, shared: ReadonlyMap<string, object>): Canonicalize | undefined {
  return compile(schema as Schema, shared, new Set());
}

/** `seen` holds the schemas on the path walked, so a recursive schema ends. */
function compile(schema: Schema, shared: ReadonlyMap<string, object>, seen: Set<Schema>): Canonicalize | undefined {
  if (seen.has(schema)) return undefined;
  seen.add(schema);
  try {
    return compileOnce(schema, shared, seen);
  } finally {
    seen.delete(schema);
  }
}

function compileOnce(schema: Schema, shared: ReadonlyMap<string, object>, seen: Set<Schema>): Canonicalize | undefined {
  if (schema.$ref !== undefined) {
    const target = shared.get(schema.$ref.replace(/#$/, ''));
    return target === undefined ? undefined : compile(target as Schema, shared, seen);
  }
  if (schema.format === 'uuid') return (value) => (typeof value === 'string' ? (canonicalUuid(value) ?? value) : value);
  const parts: Canonicalize[] = [];
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    const fix = compile(branch, shared, seen);
    if (fix !== undefined) parts.push(fix);
  }
  const properties = Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const fix = compile(property, shared, seen);
    return fix === undefined ? [] : [[key, fix] as const];
  });
  if (properties.length > 0) {
    parts.push((value) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const object = value as Record<string, unknown>;
        for (const [key, fix] of properties) if (object[key] !== undefined) object[key] = fix(object[key]);
      }
      return value;
    });
  }
  const item = schema.items === undefined ? undefined : compile(schema.items, shared, seen);
  if (item !== undefined) {
    parts.push((value) => {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = item(value[i]);
      return value;
    });
  }
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return (value) => parts.reduce((current, fix) => fix(current), value);
}
