/**
 * The cleaned reference/current pair one test runs on. Cleaning is Evidently's
 * (data_drift.py get_one_column_drift): +-Infinity become NaN, then every NaN/null is dropped, and
 * an empty side is refused. Derived forms (typed arrays, sorted copies, category counts) are built
 * once, on first use, and shared by whatever the test needs.
 */
import { DriftError } from './errors.js';
import { countDistinct, mergeSorted } from './numeric/sorted.js';
import type { DriftColumn, DriftValue, TestableColumnType } from './types.js';

export type Category = number | string | boolean;

/**
 * Python's sort order for the category values Evidently sorts: numbers (and booleans as 0/1) by
 * value, then strings by code point (JavaScript's default compares UTF-16 units, which puts
 * characters above U+FFFF before U+E000..U+FFFF).
 */
export function compareCategories(a: Category, b: Category): number {
  const aString = typeof a === 'string';
  const bString = typeof b === 'string';
  if (aString !== bString) return aString ? 1 : -1;
  if (!aString) return Number(a) - Number(b);
  return compareCodePoints(a as string, b as string);
}

function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

export interface CategoryCounts {
  /** Every category seen on either side, in compareCategories order. */
  readonly keys: readonly Category[];
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

export interface NumericSamples {
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

type Side = 'reference' | 'current';

function isDroppable(value: DriftValue): boolean {
  return value === null || (typeof value === 'number' && !Number.isFinite(value));
}

function cleanSide(column: string, side: Side, values: DriftColumn): Category[] {
  if (!Array.isArray(values)) throw new DriftError(`Column '${column}' in ${side} dataset is not an array.`);
  const kept: Category[] = [];
  for (const value of values as readonly unknown[]) {
    if (value !== null && typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      throw new DriftError(`Column '${column}' in ${side} dataset has a cell that is not a number, string, boolean or null.`);
    }
    if (!isDroppable(value as DriftValue)) kept.push(value as Category);
  }
  if (kept.length === 0) {
    throw new DriftError(`An empty column '${column}' was provided for drift calculation in the ${side} dataset.`);
  }
  return kept;
}

/**
 * pandas' is_numeric_dtype after dropna: numbers (nulls allowed, they made it float64), or booleans
 * with no nulls at all (a null turns a boolean column into object dtype).
 */
function toNumbers(column: string, side: Side, raw: DriftColumn, kept: readonly Category[]): Float64Array {
  const out = new Float64Array(kept.length);
  const allBoolean = raw.every((v) => typeof v === 'boolean');
  for (let i = 0; i < kept.length; i++) {
    const v = kept[i];
    if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'boolean' && allBoolean) out[i] = v ? 1 : 0;
    else throw new DriftError(`Column '${column}' in ${side} dataset should contain numerical values only.`);
  }
  return out;
}

export class SamplePair {
  readonly reference: readonly Category[];
  readonly current: readonly Category[];
  private numericCache: NumericSamples | undefined;
  private sortedCache: NumericSamples | undefined;
  private countsCache: CategoryCounts | undefined;

  constructor(
    readonly column: string,
    readonly columnType: TestableColumnType,
    private readonly rawReference: DriftColumn,
    private readonly rawCurrent: DriftColumn,
  ) {
    this.reference = cleanSide(column, 'reference', rawReference);
    this.current = cleanSide(column, 'current', rawCurrent);
    // Evidently refuses a numerical column holding anything but numbers before choosing a test.
    if (columnType === 'numerical') this.numbers();
  }

  /** The samples as numbers, in their original order. */
  numbers(): NumericSamples {
    this.numericCache ??= {
      reference: toNumbers(this.column, 'reference', this.rawReference, this.reference),
      current: toNumbers(this.column, 'current', this.rawCurrent, this.current),
    };
    return this.numericCache;
  }

  /** The samples as numbers, ascending; sorted once. */
  sorted(): NumericSamples {
    if (!this.sortedCache) {
      const { reference, current } = this.numbers();
      this.sortedCache = { reference: reference.slice().sort(), current: current.slice().sort() };
    }
    return this.sortedCache;
  }

  /** Per-category counts on both sides over the union of categories, in canonical order. */
  categoryCounts(): CategoryCounts {
    if (!this.countsCache) {
      const keys = [...new Set([...this.reference, ...this.current])].sort(compareCategories);
      const position = new Map(keys.map((key, at) => [key, at] as const));
      const reference = new Float64Array(keys.length);
      const current = new Float64Array(keys.length);
      for (const v of this.reference) reference[position.get(v) as number]++;
      for (const v of this.current) current[position.get(v) as number]++;
      this.countsCache = { keys, reference, current };
    }
    return this.countsCache;
  }

  /** Distinct values over both sides (Evidently's n_values for the default test choice). */
  distinctCount(): number {
    if (this.columnType === 'numerical') {
      const { reference, current } = this.sorted();
      return countDistinct(mergeSorted(reference, current));
    }
    return this.categoryCounts().keys.length;
  }

  /** Distinct values in the reference sample. */
  referenceDistinctCount(): number {
    if (this.columnType === 'numerical') return countDistinct(this.sorted().reference);
    let distinct = 0;
    for (const count of this.categoryCounts().reference) if (count > 0) distinct++;
    return distinct;
  }
}
