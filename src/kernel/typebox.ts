import { Type, type SchemaOptions, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A string enum as pydantic writes it (`{"type":"string","enum":[…]}`), rather than TypeBox's
 * anyOf of literals: the OpenAPI document then matches Diga's, and a bad value yields one
 * error listing every allowed value.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** `anyOf: [schema, null]`, pydantic's `Optional[X]`. */
export function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}) {
  return Type.Union([schema, Type.Null()], options);
}
