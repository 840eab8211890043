/**
 * Exact counts of a column's distinct finite numbers, kept while there are at most `capacity` of
 * them and dropped for good beyond that. Integer codes and other low-cardinality numeric columns
 * keep exact counts (so chi-square, z, per-value bins and Evidently's "integer column with <= 5
 * values is categorical" rule work on profiles exactly as on samples); a continuous column
 * overflows after `capacity` values and then costs one branch per value, its distribution living
 * in the KLL sketch. Whether a merged profile is exact depends only on the union of values, never
 * on merge order: merge is exactly associative and commutative.
 */
import { ProfileError } from './errors.js';

export const DEFAULT_NUMBERS_CAPACITY = 128;
export const MIN_NUMBERS_CAPACITY = 21;
export const MAX_NUMBERS_CAPACITY = 1 << 16;

export function checkNumbersCapacity(capacity: number): void {
  // 21: the drift library's binning switches at 20 distinct reference values and must be decidable.
  if (!Number.isInteger(capacity) || capacity < MIN_NUMBERS_CAPACITY || capacity > MAX_NUMBERS_CAPACITY) {
    throw new ProfileError(
      `The exact-numbers capacity must be an integer between ${MIN_NUMBERS_CAPACITY} and ${MAX_NUMBERS_CAPACITY}, got ${capacity}.`,
    );
  }
}

export interface NumberCountsState {
  readonly capacity: number;
  /** [value, count] pairs, or null once more than capacity distinct values were seen. */
  readonly values: readonly (readonly [number, number])[] | null;
}

export class NumberCounts {
  readonly capacity: number;
  private counts: Map<number, number> | null = new Map();

  constructor(capacity: number = DEFAULT_NUMBERS_CAPACITY) {
    checkNumbersCapacity(capacity);
    this.capacity = capacity;
  }

  /** False once the column had more distinct numbers than the capacity. */
  get isExact(): boolean {
    return this.counts !== null;
  }

  /** Distinct numbers (exact), or undefined after an overflow. */
  get distinct(): number | undefined {
    return this.counts?.size;
  }

  /** Adds the first `length` finite values of a buffer. */
  addMany(values: Float64Array, length: number): void {
    const counts = this.counts;
    if (counts === null) return;
    for (let i = 0; i < length; i++) {
      const v = values[i] === 0 ? 0 : values[i];
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (counts.size > this.capacity) this.counts = null;
  }

  merge(other: NumberCounts): void {
    if (other.capacity !== this.capacity) {
      throw new ProfileError(`Cannot merge exact-number counts with capacities ${this.capacity} and ${other.capacity}.`);
    }
    if (this.counts === null) return;
    if (other.counts === null) {
      this.counts = null;
      return;
    }
    for (const [value, count] of other.counts) this.counts.set(value, (this.counts.get(value) ?? 0) + count);
    if (this.counts.size > this.capacity) this.counts = null;
  }

  /** [value, count] pairs ascending by value, or undefined after an overflow. */
  sorted(): [number, number][] | undefined {
    return this.counts ? [...this.counts].sort((a, b) => a[0] - b[0]) : undefined;
  }

  copy(): NumberCounts {
    return NumberCounts.fromState(this.toState());
  }

  toState(): NumberCountsState {
    return { capacity: this.capacity, values: this.sorted() ?? null };
  }

  static fromState(state: NumberCountsState): NumberCounts {
    const bad = (what: string): never => {
      throw new ProfileError(`Invalid exact-number counts: ${what}.`);
    };
    if (typeof state !== 'object' || state === null) bad('not an object');
    const out = new NumberCounts(state.capacity);
    if (state.values === null) {
      out.counts = null;
      return out;
    }
    if (!Array.isArray(state.values)) bad('values');
    if (state.values.length > state.capacity) bad('more values than its capacity');
    for (const entry of state.values as readonly unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) bad('a value is not a [value, count] pair');
      const [value, count] = entry as [unknown, unknown];
      if (typeof value !== 'number' || !Number.isFinite(value)) bad('a value is not a finite number');
      if (!Number.isSafeInteger(count) || (count as number) <= 0) bad('a count is not a positive integer');
      if (out.counts?.has(value as number)) bad('a value appears twice');
      out.counts?.set(value as number, count as number);
    }
    return out;
  }
}
