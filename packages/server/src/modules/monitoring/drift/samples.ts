/**
 * The cleaned reference/current pair one test runs on. Cleaning is Evidently's
 * (data_drift.py get_one_column_drift): +-Infinity become NaN, then every NaN/null is dropped, and
 * an empty side is refused. Derived forms (typed arrays, sorted copies, category counts) are built
 * once, on first use, and shared by whatever the test needs.
 */
import { DriftError } from './errors.js';
import { countDistinct, countDistinctUpTo, mergeSorted, RADIX_COUNTS, RADIX_MIN, sortedCopy } from './numeric/sorted.js';
import type { CellScan } from './scan.js';
import type { DriftInputColumn, DriftValue, TestableColumnType } from './types.js';
import type { Workspace } from './workspace.js';

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

function notAnArray(column: string, side: Side): DriftError {
  return new DriftError(`Column '${column}' in ${side} dataset is not an array.`);
}

function badCell(column: string, side: Side): DriftError {
  return new DriftError(`Column '${column}' in ${side} dataset has a cell that is not a number, string, boolean or null.`);
}

function emptyColumn(column: string, side: Side): DriftError {
  return new DriftError(`An empty column '${column}' was provided for drift calculation in the ${side} dataset.`);
}

function notNumerical(column: string, side: Side): DriftError {
  return new DriftError(`Column '${column}' in ${side} dataset should contain numerical values only.`);
}

function cleanSide(column: string, side: Side, values: DriftInputColumn): Category[] {
  const kept: Category[] = [];
  if (values instanceof Float64Array) {
    for (const value of values) if (Number.isFinite(value)) kept.push(value);
  } else {
    if (!Array.isArray(values)) throw notAnArray(column, side);
    for (const value of values as readonly unknown[]) {
      if (value !== null && typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') throw badCell(column, side);
      if (!isDroppable(value as DriftValue)) kept.push(value as Category);
    }
  }
  if (kept.length === 0) throw emptyColumn(column, side);
  return kept;
}

/** cleanSide's refusals, in its order, for a side already scanned. */
function checkScannedSide(column: string, side: Side, scan: CellScan): void {
  if (scan.notArray) throw notAnArray(column, side);
  if (scan.badCell) throw badCell(column, side);
  if (scan.kept === 0) throw emptyColumn(column, side);
}

/** What the sorted samples are sorted in, and with. */
const SLOTS = { reference: 'sorted reference', current: 'sorted current', radixTemp: 'radix values', radixCounts: 'radix counts' } as const;

export class SamplePair {
  /** Cells compared on each side after nulls, NaN and +-Infinity were dropped. */
  readonly referenceSize: number;
  readonly currentSize: number;
  private referenceCache: Category[] | undefined;
  private currentCache: Category[] | undefined;
  private numericCache: NumericSamples | undefined;
  private sortedCache: NumericSamples | undefined;
  private countsCache: CategoryCounts | undefined;

  /**
   * `reference` and `current` come from scanCells; their numbers and the sorted copies live in
   * `workspace`, so the pair must be done with before the workspace serves the next column.
   */
  constructor(
    readonly column: string,
    readonly columnType: TestableColumnType,
    private readonly referenceScan: CellScan,
    private readonly currentScan: CellScan,
    private readonly workspace: Workspace,
  ) {
    if (columnType === 'numerical') {
      checkScannedSide(column, 'reference', referenceScan);
      checkScannedSide(column, 'current', currentScan);
      // Evidently refuses a numerical column holding anything but numbers before choosing a test.
      this.numericCache = this.numbers();
      this.referenceSize = referenceScan.kept;
      this.currentSize = currentScan.kept;
    } else {
      this.referenceCache = cleanSide(column, 'reference', referenceScan.values);
      this.currentCache = cleanSide(column, 'current', currentScan.values);
      this.referenceSize = this.referenceCache.length;
      this.currentSize = this.currentCache.length;
    }
  }

  /** The kept cells of the reference, as given (booleans stay booleans), in their original order. */
  get reference(): readonly Category[] {
    this.referenceCache ??= cleanSide(this.column, 'reference', this.referenceScan.values);
    return this.referenceCache;
  }

  get current(): readonly Category[] {
    this.currentCache ??= cleanSide(this.column, 'current', this.currentScan.values);
    return this.currentCache;
  }

  /**
   * The samples as numbers, in their original order: pandas' is_numeric_dtype after dropna, i.e.
   * numbers (nulls allowed, they made it float64), or booleans with no nulls at all (a null turns
   * a boolean column into object dtype).
   */
  numbers(): NumericSamples {
    if (!this.numericCache) {
      const reference = this.referenceScan.numbers;
      if (!reference) throw notNumerical(this.column, 'reference');
      const current = this.currentScan.numbers;
      if (!current) throw notNumerical(this.column, 'current');
      this.numericCache = { reference, current };
    }
    return this.numericCache;
  }

  /** The samples as numbers, ascending; sorted once. */
  sorted(): NumericSamples {
    if (!this.sortedCache) {
      const { reference, current } = this.numbers();
      const longest = Math.max(reference.length, current.length);
      // Short samples go to the native sort, which needs no scratch.
      const scratch =
        longest < RADIX_MIN
          ? undefined
          : { temp: this.workspace.float64(SLOTS.radixTemp, longest), counts: this.workspace.uint32(SLOTS.radixCounts, RADIX_COUNTS) };
      const sort = (slot: string, values: Float64Array): Float64Array => sortedCopy(values, this.workspace.float64(slot, values.length), scratch);
      this.sortedCache = { reference: sort(SLOTS.reference, reference), current: sort(SLOTS.current, current) };
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

  /**
   * min(distinctCount(), limit): what a decision of the form "at most N distinct values" needs.
   * On a numerical column this stops after `limit` distinct values instead of sorting.
   */
  distinctCountUpTo(limit: number): number {
    if (this.columnType === 'numerical') {
      if (this.sortedCache) return Math.min(this.distinctCount(), limit);
      const { reference, current } = this.numbers();
      return countDistinctUpTo([reference, current], limit);
    }
    return Math.min(this.categoryCounts().keys.length, limit);
  }

  /** Distinct values in the reference sample. */
  referenceDistinctCount(): number {
    if (this.columnType === 'numerical') return countDistinct(this.sorted().reference);
    let distinct = 0;
    for (const count of this.categoryCounts().reference) if (count > 0) distinct++;
    return distinct;
  }
}
