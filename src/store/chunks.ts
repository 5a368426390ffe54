// Well under SQLite's and PostgreSQL's bound-parameter limits.
const DEFAULT_SIZE = 500;

/** Splits `items` into runs of at most `size`, for IN lists and multi-row inserts. */
export function chunks<T>(items: T[], size = DEFAULT_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
