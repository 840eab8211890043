/**
 * What a profile says of each column, in figures a person reads: counts, missing cells, min, max,
 * mean, std, quantiles, distinct values and the most frequent values. Read from the summaries the
 * profile holds, so exact where they are exact and within their bounds elsewhere:
 *
 * - counts, missing, min, max: exact. mean and std: exact up to rounding (merged moments).
 * - quantiles: numpy's linear rule (np.quantile's default) on the distribution the profile holds,
 *   which is the data itself while the column has at most 200 numbers or at most 128 distinct ones
 *   (`quantilesExact`), else the KLL sketch's weighted items: each quantile is then a value whose
 *   rank is within the sketch's rank error (1.33 % at k = 200) of the one asked for.
 * - distinct: exact while the numbers are held exactly (exact counts, or a sketch that never
 *   compacted) and the frequent items are exact, else the HyperLogLog estimate.
 * - top: strings and booleans from the frequent-items sketch (each count a lower bound, the true
 *   count at most `countUpperBound`), and numbers while their counts are exact.
 */
import type { ColumnProfile, ProfileDtype } from './column-profile.js';
import type { DatasetProfile } from './dataset-profile.js';
import { linearQuantile, numericSample } from './weighted-sample.js';

export const SUMMARY_QUANTILES = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export type SummaryQuantile = keyof typeof SUMMARY_QUANTILES;

/** Most frequent values listed per column. */
export const TOP_ITEMS = 10;

export interface TopItem {
  readonly value: number | string | boolean;
  readonly count: number;
  readonly countUpperBound: number;
}

export interface ColumnSummary {
  readonly column: string;
  readonly dtype: ProfileDtype;
  readonly count: number;
  readonly missing: number;
  readonly numbers: number;
  readonly strings: number;
  readonly booleans: number;
  /** Over the finite numbers; undefined when there are none (std also below two). */
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly std?: number;
  readonly quantiles?: Readonly<Record<SummaryQuantile, number>>;
  readonly quantilesExact: boolean;
  readonly distinct: number;
  readonly distinctExact: boolean;
  readonly top: readonly TopItem[];
}

export interface DatasetSummary {
  readonly rows: number;
  readonly columns: readonly ColumnSummary[];
}

export function summarizeColumn(column: string, profile: ColumnProfile): ColumnSummary {
  const c = profile.counts;
  // With numbers present numericSample reads them (booleans alone would be read as 0/1).
  const sample = c.numberCount > 0 ? numericSample(profile) : undefined;
  let distinct = profile.distinctCount();
  // A sketch that never compacted still holds every number: their distinct count is exact too.
  if (!distinct.exact && sample?.exact && profile.items.isExact) distinct = { value: sample.values.length + profile.items.size, exact: true };
  const base = {
    column,
    dtype: profile.dtype,
    count: c.count,
    missing: profile.missingCount,
    numbers: c.numberCount,
    strings: c.stringCount,
    booleans: c.booleanCount,
    distinct: distinct.value,
    distinctExact: distinct.exact,
    top: topItems(profile),
  };
  if (!sample) return { ...base, quantilesExact: false };
  const quantiles = Object.fromEntries(
    Object.entries(SUMMARY_QUANTILES).map(([name, q]) => [name, Math.min(profile.kll.max, Math.max(profile.kll.min, linearQuantile(sample, q)))]),
  ) as Record<SummaryQuantile, number>;
  const variance = profile.moments.sampleVariance;
  return {
    ...base,
    min: profile.kll.min,
    max: profile.kll.max,
    mean: profile.moments.mean,
    ...(Number.isNaN(variance) ? {} : { std: Math.sqrt(variance) }),
    quantiles,
    quantilesExact: sample.exact,
  };
}

function topItems(profile: ColumnProfile): TopItem[] {
  const items: TopItem[] = profile.items.items().map((i) => ({ value: i.item, count: i.lowerBound, countUpperBound: i.upperBound }));
  for (const [value, count] of profile.numbers.sorted() ?? []) items.push({ value, count, countUpperBound: count });
  // Most frequent first; equal counts keep their order (strings and booleans, then numbers ascending).
  return items.sort((a, b) => b.count - a.count).slice(0, TOP_ITEMS);
}

export function summarizeProfile(profile: DatasetProfile): DatasetSummary {
  return { rows: profile.rowCount, columns: [...profile.columns()].map(([name, column]) => summarizeColumn(name, column)) };
}
