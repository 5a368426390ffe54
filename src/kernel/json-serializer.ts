import fastJson from 'fast-json-stringify';

/** Writes a value as JSON, as its schema describes it. */
export type Serialize = (value: unknown) => string;

/**
 * A serializer compiled from a response schema: the schema is what decides which keys go out,
 * and in which order. Keys are written in the order the schema declares them, which is the
 * contract's (pydantic's); fast-json-stringify would write required keys first, so they are
 * compiled as if none were required (every contract body carries every key anyway: absent
 * values are null). `shared` are the schemas `$ref`s may name, by `$id`.
 */
export function serializerFor(schema: object, shared: readonly object[] = []): Serialize {
  const external: Record<string, object> = {};
  for (const each of shared) {
    const id = (each as { $id?: string }).$id;
    if (id !== undefined) external[id] = inDeclaredOrder(each);
  }
  return fastJson(inDeclaredOrder(schema) as Parameters<typeof fastJson>[0], {
    schema: external as Record<string, Parameters<typeof fastJson>[0]>,
  }) as Serialize;
}

/** A copy of `schema` with no `required` list at any depth (and without TypeBox's symbols). */
function inDeclaredOrder(schema: object): object {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === 'required' && Array.isArray(value) ? undefined : value,
  ) as object;
}
