/**
 * A column's numeric distribution as a profile knows it: distinct values ascending with integer
 * weights summing to the number of values. It is exact when the profile still has exact per-value
 * counts (few distinct values), else the KLL sketch's retained items with weights 2^level, whose
 * CDF is within the sketch's rank error of the true one. Every numerical test on profiles reads the
 * distribution through this one shape, so "the test on a profile" means "the test on the weighted
 * sample the profile holds".
 */
import type { ColumnProfile } from './column-profile.js';

export interface WeightedSample {
  /** Distinct values, ascending. */
  readonly values: Float64Array;
  readonly weights: Float64Array;
  /** Cumulative weights: cumulative[i] = weights[0] + ... + weights[i]. */
  readonly cumulative: Float64Array;
  /** Total weight (the number of values). */
  readonly n: number;
  /** True when the weights are the exact counts. */
  readonly exact: boolean;
  /** Bound on |estimated - true| share of values at or below any x (0 when exact). */
  readonly rankError: number;
  /** Bound on the error of the share between two values (0 when exact). */
  readonly massError: number;
  /** Exact smallest and largest value (the retained items of a sketch may not include them). */
  readonly min: number;
  readonly max: number;
  /**
   * For a sketch: the knots of its smoothed CDF (see cdfAt), x ascending and strictly increasing,
   * F the weight at or below x.
   */
  readonly knots?: { readonly x: Float64Array; readonly F: Float64Array };
}

function cumulate(weights: Float64Array): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    cumulative[i] = total;
  }
  return cumulative;
}

function exactSample(values: Float64Array, weights: Float64Array): WeightedSample {
  const cumulative = cumulate(weights);
  const n = cumulative.length === 0 ? 0 : cumulative[cumulative.length - 1];
  return { values, weights, cumulative, n, exact: true, rankError: 0, massError: 0, min: values[0], max: values[values.length - 1] };
}

/**
 * A sketch's weighted items. Its step CDF jumps by a whole item's weight (up to 2^(levels-1)
 * values) at each retained value; for the shares of narrow bins and for CDF integrals a smoothed
 * CDF is closer to the data: each item's weight spread half below and half above its value,
 * linearly between neighbouring items, from 0 at the exact min to n at the exact max.
 */
function sketchSample(values: Float64Array, weights: Float64Array, min: number, max: number, rankError: number, massError: number): WeightedSample {
  const cumulative = cumulate(weights);
  const n = cumulative[cumulative.length - 1];
  const x: number[] = [min];
  const F: number[] = [0];
  for (let i = 0; i < values.length; i++) {
    if (values[i] <= min || values[i] >= max) continue;
    x.push(values[i]);
    F.push(cumulative[i] - weights[i] / 2);
  }
  if (max > min) {
    x.push(max);
    F.push(n);
  } else {
    F[0] = n;
  }
  const knots = { x: Float64Array.from(x), F: Float64Array.from(F) };
  return { values, weights, cumulative, n, exact: false, rankError, massError, min, max, knots };
}

/** From exact [value, count] pairs (in any order; equal values are combined). */
export function weightedSampleFromCounts(pairs: readonly (readonly [number, number])[]): WeightedSample {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const values: number[] = [];
  const weights: number[] = [];
  for (const [value, count] of sorted) {
    if (count <= 0) continue;
    if (values.length > 0 && values[values.length - 1] === value) weights[weights.length - 1] += count;
    else {
      values.push(value);
      weights.push(count);
    }
  }
  return exactSample(Float64Array.from(values), Float64Array.from(weights));
}

/**
 * The numeric distribution of a profile's finite numbers, or (a column of booleans only, which the
 * drift library reads as 0/1) of its booleans. Undefined when the column has neither.
 */
export function numericSample(profile: ColumnProfile): WeightedSample | undefined {
  const c = profile.counts;
  if (c.numberCount > 0) {
    const exact = profile.numbers.sorted();
    if (exact) return weightedSampleFromCounts(exact);
    const kll = profile.kll;
    const view = kll.sortedView();
    // A sketch that never compacted still holds every value once.
    if (!kll.isEstimationMode) return exactSample(view.values, view.weights);
    return sketchSample(view.values, view.weights, kll.min, kll.max, kll.rankError(false), kll.rankError(true));
  }
  if (c.booleanCount > 0) {
    return weightedSampleFromCounts([
      [0, profile.items.lowerBound(false)],
      [1, profile.items.lowerBound(true)],
    ]);
  }
  return undefined;
}

/** Weight of values < x (strict) or <= x (inclusive). */
export function weightBelow(sample: WeightedSample, x: number, inclusive: boolean): number {
  const { values, cumulative } = sample;
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? values[mid] <= x : values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : cumulative[lo - 1];
}

/**
 * Share of values at or below x: the step CDF of an exact sample, the smoothed CDF of a sketch's
 * (linear between knots).
 */
export function cdfAt(sample: WeightedSample, x: number): number {
  const knots = sample.knots;
  if (!knots) return weightBelow(sample, x, true) / sample.n;
  const { x: xs, F } = knots;
  if (x < xs[0]) return 0;
  if (x >= xs[xs.length - 1]) return 1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return (F[lo] + t * (F[hi] - F[lo])) / sample.n;
}

/** The value at 0-based position `position` of the sample written out in ascending order. */
export function valueAt(sample: WeightedSample, position: number): number {
  const { values, cumulative } = sample;
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > position) hi = mid;
    else lo = mid + 1;
  }
  return values[lo];
}

/** np.quantile(sample, q) with linear interpolation, on the written-out sample. */
export function linearQuantile(sample: WeightedSample, q: number): number {
  const n = sample.n;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sample.values[sample.values.length - 1];
  if (virtual < 0) return sample.values[0];
  const below = Math.floor(virtual);
  const gamma = virtual - below;
  const a = valueAt(sample, below);
  const b = valueAt(sample, below + 1);
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** The sample written out value by value (n values); only for small n. */
export function writeOut(sample: WeightedSample): Float64Array {
  const out = new Float64Array(sample.n);
  let at = 0;
  for (let i = 0; i < sample.values.length; i++) {
    out.fill(sample.values[i], at, at + sample.weights[i]);
    at += sample.weights[i];
  }
  return out;
}

/** Distinct values over both samples. */
export function unionDistinct(a: WeightedSample, b: WeightedSample): number {
  let i = 0;
  let j = 0;
  let distinct = 0;
  while (i < a.values.length || j < b.values.length) {
    const value = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
    while (i < a.values.length && a.values[i] === value) i++;
    while (j < b.values.length && b.values[j] === value) j++;
    distinct++;
  }
  return distinct;
}
