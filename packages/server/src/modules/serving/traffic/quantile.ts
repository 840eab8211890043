/**
 * The q-quantile (0 <= q <= 1) of ascending-sorted values, interpolating linearly between the two
 * nearest ranks: the definition numpy and most dashboards use by default, so a p99 shown here
 * matches one computed elsewhere from the same samples. Null for no values.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  return low + (position - below) * ((sorted[above] as number) - low);
}

/** Ascending copy as a typed array: its `sort` compares numbers, not their string forms. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** p50 and p99 of unsorted values, null when there are none. */
export function latencyPercentiles(values: ArrayLike<number>): { p50: number | null; p99: number | null } {
  const sorted = sortedCopy(values);
  return { p50: quantileOfSorted(sorted, 0.5), p99: quantileOfSorted(sorted, 0.99) };
}
