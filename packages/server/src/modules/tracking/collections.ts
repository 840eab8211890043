/** Buckets a list by a string key, keeping the list's order inside each bucket. */
export function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const bucket = out.get(k);
    if (bucket) bucket.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Orders strings by UTF-16 code unit, independent of locale and database collation, so lists
 * come back in the same order from SQLite and PostgreSQL.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
