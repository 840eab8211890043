/**
 * A reference/current pair of column profiles, checked the way the drift library checks a pair of
 * samples (an empty side after dropping null, NaN and +-Infinity is refused; a numerical column
 * must hold numbers, or booleans only), with the derived forms the tests read built once.
 */
import { DriftError, type TestableColumnType } from '../drift/index.js';
import { categoryCounts, type ProfileCategoryCounts } from './category-counts.js';
import type { ColumnProfile } from './column-profile.js';
import { numericSample, unionDistinct, type WeightedSample } from './weighted-sample.js';

type Side = 'reference' | 'current';

export interface NumericPair {
  readonly reference: WeightedSample;
  readonly current: WeightedSample;
}

function checkNotEmpty(column: string, side: Side, profile: ColumnProfile): void {
  if (profile.cleanCount === 0) {
    throw new DriftError(`An empty column '${column}' was provided for drift calculation in the ${side} dataset.`);
  }
}

/** pandas' is_numeric_dtype after dropna, as the drift library's samples.ts decides it. */
function checkNumeric(column: string, side: Side, profile: ColumnProfile): void {
  const c = profile.counts;
  const booleansOnly = c.booleanCount === c.count;
  if (c.stringCount > 0 || (c.booleanCount > 0 && !booleansOnly)) {
    throw new DriftError(`Column '${column}' in ${side} dataset should contain numerical values only.`);
  }
}

export class ProfilePair {
  private numericCache: { reference: WeightedSample | undefined; current: WeightedSample | undefined } | undefined;
  private countsCache: ProfileCategoryCounts | undefined;

  constructor(
    readonly column: string,
    readonly columnType: TestableColumnType,
    readonly reference: ColumnProfile,
    readonly current: ColumnProfile,
  ) {
    checkNotEmpty(column, 'reference', reference);
    checkNotEmpty(column, 'current', current);
    if (columnType === 'numerical') {
      checkNumeric(column, 'reference', reference);
      checkNumeric(column, 'current', current);
    }
  }

  get referenceSize(): number {
    return this.reference.cleanCount;
  }

  get currentSize(): number {
    return this.current.cleanCount;
  }

  private samples(): { reference: WeightedSample | undefined; current: WeightedSample | undefined } {
    this.numericCache ??= { reference: numericSample(this.reference), current: numericSample(this.current) };
    return this.numericCache;
  }

  /** Both sides' numeric distributions (numerical columns only). */
  numbers(): NumericPair {
    const { reference, current } = this.samples();
    if (!reference || !current) throw new DriftError(`Column '${this.column}' has no numbers to compare.`);
    return { reference, current };
  }

  /** Per-category counts over both sides (numbers only, for a numerical column). */
  categoryCounts(): ProfileCategoryCounts {
    this.countsCache ??= categoryCounts(this.reference, this.current, this.samples(), this.columnType === 'numerical');
    return this.countsCache;
  }

  /** Smallest and largest value over both sides, exact (the profile's min and max). */
  range(): { min: number; max: number } {
    const { reference, current } = this.numbers();
    return { min: Math.min(reference.min, current.min), max: Math.max(reference.max, current.max) };
  }

  /**
   * Distinct values over both sides (the drift library's default-test rule): exact when both sides'
   * values are known exactly, else the HyperLogLog estimate of the union.
   */
  distinctCount(): { value: number; exact: boolean } {
    if (this.columnType === 'numerical') {
      const { reference, current } = this.numbers();
      if (reference.exact && current.exact) return { value: unionDistinct(reference, current), exact: true };
    } else {
      const counts = this.categoryCounts();
      if (counts.exact) return { value: counts.keys.length, exact: true };
    }
    const union = this.reference.hll.copy();
    union.merge(this.current.hll);
    return { value: Math.round(union.estimate()), exact: false };
  }

  /** Distinct values in the reference (exact below the exact-number capacity, else "more than it"). */
  referenceDistinctCount(): number {
    if (this.columnType === 'numerical') {
      const { reference } = this.numbers();
      return reference.exact ? reference.values.length : Number.POSITIVE_INFINITY;
    }
    let distinct = 0;
    for (const count of this.categoryCounts().reference) if (count > 0) distinct++;
    return distinct;
  }

  /** Population standard deviation of the reference's numbers (numpy std, ddof = 0). */
  referenceStd(): number {
    return Math.sqrt(this.meanAndVariance('reference').populationVariance);
  }

  meanAndVariance(side: Side): { n: number; mean: number; populationVariance: number; sampleVariance: number } {
    const profile = side === 'reference' ? this.reference : this.current;
    if (profile.counts.numberCount > 0) {
      const m = profile.moments;
      return { n: m.count, mean: m.mean, populationVariance: m.populationVariance, sampleVariance: m.sampleVariance };
    }
    // A boolean-only column read as 0/1.
    const sample = this.numbers()[side];
    const n = sample.n;
    const ones = sample.values[sample.values.length - 1] === 1 ? sample.weights[sample.weights.length - 1] : 0;
    const mean = ones / n;
    const m2 = ones * (1 - mean) ** 2 + (n - ones) * mean ** 2;
    return { n, mean, populationVariance: m2 / n, sampleVariance: n < 2 ? Number.NaN : m2 / (n - 1) };
  }
}
