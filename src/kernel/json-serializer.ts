import fastJson from 'fast-json-stringify';

/** Writes a value as JSON, as its schema describes it. */
export type Serialize = (value: unknown) => string;

type Schema = { [key: string]: unknown };
type FastJsonSchema = Parameters<typeof fastJson>[0];
type Options = NonNullable<Parameters<typeof fastJson>[1]>;

/** Compiled serializers by what they serialize, so routes sharing a response shape share one. */
const compiled = new Map<string, Serialize>();
const NO_SHARED: readonly object[] = [];

/**
 * A serializer compiled from a response schema: the schema is what decides which keys go out,
 * and in which order. Keys are written in the order the schema declares them, which is the
 * contract's (pydantic's); fast-json-stringify would write required keys first, so they are
 * compiled as if none were required (every contract body carries every key anyway: absent
 * values are null). `shared` are the schemas `$ref`s may name, by `$id`.
 *
 * Only what changes the output is compiled: descriptions, titles and examples go, and a
 * nullable primitive or object (`anyOf: [X, null]`) becomes `type: [X, "null"]`, which
 * fast-json-stringify writes without building a schema validator for the branch. Identical
 * shapes (the error envelope of every route, say) then compile once.
 */
export function serializerFor(schema: object, shared: readonly object[] = NO_SHARED): Serialize {
  const external = externalSchemas(shared);
  const root = forSerializing(schema);
  const key = `${listIdOf(shared)} ${JSON.stringify(root)}`;
  let serialize = compiled.get(key);
  if (serialize === undefined) {
    serialize = fastJson(root as unknown as FastJsonSchema, { schema: external } as unknown as Options) as Serialize;
    compiled.set(key, serialize);
  }
  return serialize;
}

const listIds = new WeakMap<readonly object[], number>();
let lists = 0;

/** A number for each list of shared schemas, so that cache keys need not spell the list out. */
function listIdOf(shared: readonly object[]): number {
  let id = listIds.get(shared);
  if (id === undefined) {
    id = lists++;
    listIds.set(shared, id);
  }
  return id;
}

/** The shared schemas by `$id`, prepared once per list (every route of an app passes the same). */
const externalByList = new WeakMap<readonly object[], Record<string, Schema>>();

function externalSchemas(shared: readonly object[]): Record<string, Schema> {
  let external = externalByList.get(shared);
  if (external === undefined) {
    external = {};
    for (const each of shared) {
      const id = (each as { $id?: string }).$id;
      if (id !== undefined) external[id] = forSerializing(each);
    }
    externalByList.set(shared, external);
  }
  return external;
}

/**
 * A plain copy of `schema` with only what decides the output (see serializerFor). A key is
 * dropped only in its keyword's form: a property named `title` or `required` is a schema (an
 * object) and stays.
 */
function forSerializing(schema: object): Schema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    if ((key === 'description' || key === 'title') && typeof value === 'string') return undefined;
    if ((key === 'examples' || key === 'required') && Array.isArray(value)) return undefined;
    return isObject(value) ? nullableAsTypeList(value) : value;
  }) as Schema;
}

/** `anyOf: [X, {type: "null"}]`, X a typed schema of its own (no `$ref`), as `type: [X, "null"]`. */
function nullableAsTypeList(schema: Schema): Schema {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return schema;
  const nulls = branches.filter(
    (branch) => isObject(branch) && branch.type === 'null' && Object.keys(branch).length === 1,
  );
  const other = branches.find((branch) => !nulls.includes(branch));
  if (nulls.length !== 1 || !isObject(other) || typeof other.type !== 'string' || '$ref' in other) return schema;
  const rest = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'anyOf'));
  return { ...rest, ...other, type: [other.type, 'null'] };
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
