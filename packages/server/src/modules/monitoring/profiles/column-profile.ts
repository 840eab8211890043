/**
 * The profile of one column: what it holds, in constant memory, mergeable.
 *
 * - Cell counts: all cells, nulls, NaN, +-Infinity, empty strings, finite numbers, strings,
 *   booleans. The drift library drops null, NaN and +-Infinity before testing (`cleanCount` is what
 *   it tests); the quality module also counts the empty string as missing (`missingCount`).
 * - The flags pandas would type the column by (any number, boolean, string, null; every number a
 *   whole number), from which `dtype` and the drift library's column type follow.
 * - Finite numbers: count, mean and M2 (moments.ts), min and max, a KLL sketch (kll.ts) and exact
 *   per-value counts while there are few distinct values (number-counts.ts).
 * - Strings and booleans: frequent items with error bounds (frequent-items.ts).
 * - Every value the drift library keeps (finite numbers, strings, booleans): a HyperLogLog
 *   distinct count (hll.ts).
 */
import type { DriftValue } from '../drift/index.js';
import { ProfileError } from './errors.js';
import { FrequentItems, type FrequentItemsState, checkItemsCapacity, DEFAULT_ITEMS_CAPACITY } from './frequent-items.js';
import { hashBoolean, hashNumber, hashString, newHashOut } from './hash.js';
import { checkHllLgK, DEFAULT_HLL_LG_K, HyperLogLog, type HllState } from './hll.js';
import { checkKllK, DEFAULT_KLL_K, KllSketch, type KllState } from './kll.js';
import { Moments, type MomentsState } from './moments.js';
import { checkNumbersCapacity, DEFAULT_NUMBERS_CAPACITY, NumberCounts, type NumberCountsState } from './number-counts.js';

export interface ProfileOptions {
  /** KLL accuracy parameter; rank error ~1.33 % at the default 200. */
  readonly kllK?: number;
  /** log2 of the HyperLogLog register count; standard error 1.6 % at the default 12. */
  readonly hllLgK?: number;
  /** Strings and booleans counted by the frequent-items sketch; default 256. */
  readonly itemsCapacity?: number;
  /** Distinct numbers counted exactly before giving up; default 128. */
  readonly numbersCapacity?: number;
  /** Seed of the KLL compactors' random offsets. */
  readonly seed?: number;
}

export interface ResolvedProfileOptions {
  readonly kllK: number;
  readonly hllLgK: number;
  readonly itemsCapacity: number;
  readonly numbersCapacity: number;
  readonly seed: number;
}

export function resolveProfileOptions(options: ProfileOptions = {}): ResolvedProfileOptions {
  const resolved = {
    kllK: options.kllK ?? DEFAULT_KLL_K,
    hllLgK: options.hllLgK ?? DEFAULT_HLL_LG_K,
    itemsCapacity: options.itemsCapacity ?? DEFAULT_ITEMS_CAPACITY,
    numbersCapacity: options.numbersCapacity ?? DEFAULT_NUMBERS_CAPACITY,
    seed: options.seed ?? 0x2545f491,
  };
  checkKllK(resolved.kllK);
  checkHllLgK(resolved.hllLgK);
  checkItemsCapacity(resolved.itemsCapacity);
  checkNumbersCapacity(resolved.numbersCapacity);
  if (!Number.isInteger(resolved.seed)) throw new ProfileError(`The seed must be an integer, got ${resolved.seed}.`);
  return resolved;
}

/** The dtype pandas would give the column (as the drift library's column-type.ts reads it). */
export type ProfileDtype = 'int' | 'float' | 'bool' | 'object';

/** A column as cells, or as a typed array of numbers (NaN for missing). */
export type ProfileColumn = readonly DriftValue[] | Float64Array;

export interface ColumnCounts {
  count: number;
  nullCount: number;
  nanCount: number;
  /** +-Infinity cells. */
  infinityCount: number;
  /** Of which -Infinity. */
  negativeInfinityCount: number;
  emptyStringCount: number;
  numberCount: number;
  stringCount: number;
  booleanCount: number;
  /** Every number seen (NaN and infinities included) is a whole number. */
  allWhole: boolean;
}

export interface ColumnProfileState extends ColumnCounts {
  readonly moments: MomentsState;
  readonly kll: KllState;
  readonly hll: HllState;
  readonly items: FrequentItemsState;
  readonly numbers: NumberCountsState;
}

const CHUNK = 2048;
const chunk = new Float64Array(CHUNK);
const hashOut = newHashOut();

export class ColumnProfile {
  readonly counts: ColumnCounts = {
    count: 0,
    nullCount: 0,
    nanCount: 0,
    infinityCount: 0,
    negativeInfinityCount: 0,
    emptyStringCount: 0,
    numberCount: 0,
    stringCount: 0,
    booleanCount: 0,
    allWhole: true,
  };
  readonly moments: Moments;
  readonly kll: KllSketch;
  readonly hll: HyperLogLog;
  readonly items: FrequentItems;
  readonly numbers: NumberCounts;

  constructor(options: ResolvedProfileOptions = resolveProfileOptions()) {
    this.moments = new Moments();
    this.kll = new KllSketch(options.kllK, options.seed);
    this.hll = new HyperLogLog(options.hllLgK);
    this.items = new FrequentItems(options.itemsCapacity);
    this.numbers = new NumberCounts(options.numbersCapacity);
  }

  /** Adds cells. `column` names the column in error messages. */
  add(values: ProfileColumn, column = 'column'): void {
    if (values instanceof Float64Array) this.addNumbers(values);
    else this.addCells(values, column);
  }

  private addNumbers(values: Float64Array): void {
    const counts = this.counts;
    let filled = 0;
    let nan = 0;
    let infinity = 0;
    let negative = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v === 0) {
        chunk[filled++] = v;
        if (filled === CHUNK) {
          this.flushNumbers(filled);
          filled = 0;
        }
      } else if (v !== v) nan++;
      else {
        infinity++;
        if (v < 0) negative++;
      }
    }
    this.flushNumbers(filled);
    counts.count += values.length;
    counts.nanCount += nan;
    counts.infinityCount += infinity;
    counts.negativeInfinityCount += negative;
    if (nan + infinity > 0) counts.allWhole = false;
  }

  private addCells(values: readonly DriftValue[], column: string): void {
    if (!Array.isArray(values)) throw new ProfileError(`Column '${column}' is not an array.`);
    const counts = this.counts;
    let filled = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as unknown;
      if (typeof v === 'number') {
        if (v - v === 0) {
          chunk[filled++] = v;
          if (filled === CHUNK) {
            this.flushNumbers(filled);
            filled = 0;
          }
        } else {
          if (v !== v) counts.nanCount++;
          else {
            counts.infinityCount++;
            if (v < 0) counts.negativeInfinityCount++;
          }
          counts.allWhole = false;
        }
      } else if (v === null) {
        counts.nullCount++;
      } else if (typeof v === 'string') {
        counts.stringCount++;
        if (v === '') counts.emptyStringCount++;
        this.items.add(v);
        hashString(v, hashOut);
        this.hll.add(hashOut);
      } else if (typeof v === 'boolean') {
        counts.booleanCount++;
        this.items.add(v);
        hashBoolean(v, hashOut);
        this.hll.add(hashOut);
      } else {
        this.flushNumbers(filled);
        throw new ProfileError(`Column '${column}' has a cell that is not a number, string, boolean or null.`);
      }
    }
    this.flushNumbers(filled);
    counts.count += values.length;
  }

  /** Feeds the first `length` finite numbers of the shared chunk to every numeric summary. */
  private flushNumbers(length: number): void {
    if (length === 0) return;
    const counts = this.counts;
    counts.numberCount += length;
    if (counts.allWhole) {
      for (let i = 0; i < length; i++) {
        if (!Number.isInteger(chunk[i])) {
          counts.allWhole = false;
          break;
        }
      }
    }
    this.moments.addMany(chunk, length);
    this.kll.updateMany(chunk, length);
    this.numbers.addMany(chunk, length);
    const hll = this.hll;
    for (let i = 0; i < length; i++) {
      hashNumber(chunk[i], hashOut);
      hll.add(hashOut);
    }
  }

  /** Counts `rows` cells that were absent (a column missing from part of the data) as nulls. */
  addMissing(rows: number): void {
    this.counts.count += rows;
    this.counts.nullCount += rows;
  }

  /** Merges another column profile (same options) into this one; the other is not changed. */
  merge(other: ColumnProfile): void {
    const a = this.counts;
    const b = other.counts;
    a.count += b.count;
    a.nullCount += b.nullCount;
    a.nanCount += b.nanCount;
    a.infinityCount += b.infinityCount;
    a.negativeInfinityCount += b.negativeInfinityCount;
    a.emptyStringCount += b.emptyStringCount;
    a.numberCount += b.numberCount;
    a.stringCount += b.stringCount;
    a.booleanCount += b.booleanCount;
    a.allWhole &&= b.allWhole;
    this.moments.merge(other.moments);
    this.kll.merge(other.kll);
    this.hll.merge(other.hll);
    this.items.merge(other.items);
    this.numbers.merge(other.numbers);
  }

  /** Cells the drift library tests: finite numbers, strings and booleans. */
  get cleanCount(): number {
    return this.counts.numberCount + this.counts.stringCount + this.counts.booleanCount;
  }

  /** Cells the quality module counts as missing by default: null, NaN, +-Infinity and ''. */
  get missingCount(): number {
    const c = this.counts;
    return c.nullCount + c.nanCount + c.infinityCount + c.emptyStringCount;
  }

  /** The dtype pandas would give the column, as the drift library infers it. */
  get dtype(): ProfileDtype {
    const c = this.counts;
    const sawNumber = c.numberCount + c.nanCount + c.infinityCount > 0;
    const sawBoolean = c.booleanCount > 0;
    if (c.stringCount > 0 || (sawNumber && sawBoolean) || (!sawNumber && !sawBoolean)) return 'object';
    if (sawBoolean) return c.nullCount > 0 ? 'object' : 'bool';
    return c.nullCount === 0 && c.allWhole ? 'int' : 'float';
  }

  /**
   * Distinct values among the cells the drift library keeps (finite numbers, strings, booleans; 1,
   * '1' and true are three): exact while the exact-number counts and the frequent items are exact,
   * else the HyperLogLog estimate.
   */
  distinctCount(): { value: number; exact: boolean } {
    const numbers = this.numbers.distinct;
    if (numbers !== undefined && this.items.isExact) return { value: numbers + this.items.size, exact: true };
    return { value: Math.round(this.hll.estimate()), exact: false };
  }

  copy(): ColumnProfile {
    return ColumnProfile.fromState(this.toState());
  }

  toState(): ColumnProfileState {
    return {
      ...this.counts,
      moments: this.moments.toState(),
      kll: this.kll.toState(),
      hll: this.hll.toState(),
      items: this.items.toState(),
      numbers: this.numbers.toState(),
    };
  }

  static fromState(state: ColumnProfileState): ColumnProfile {
    if (typeof state !== 'object' || state === null) throw new ProfileError('Invalid column profile.');
    const counters = [
      'count',
      'nullCount',
      'nanCount',
      'infinityCount',
      'negativeInfinityCount',
      'emptyStringCount',
      'numberCount',
      'stringCount',
      'booleanCount',
    ] as const;
    const counts: ColumnCounts = { ...new ColumnProfile().counts };
    for (const key of counters) {
      const value = state[key];
      if (!Number.isSafeInteger(value) || value < 0) throw new ProfileError(`Invalid column profile: ${key}.`);
      counts[key] = value;
    }
    if (typeof state.allWhole !== 'boolean') throw new ProfileError('Invalid column profile: allWhole.');
    counts.allWhole = state.allWhole;
    const c = counts;
    if (c.nullCount + c.nanCount + c.infinityCount + c.numberCount + c.stringCount + c.booleanCount !== c.count) {
      throw new ProfileError('Invalid column profile: cell counts do not add up.');
    }
    if (c.negativeInfinityCount > c.infinityCount) throw new ProfileError('Invalid column profile: more -Infinity than infinities.');
    if (c.emptyStringCount > c.stringCount) throw new ProfileError('Invalid column profile: more empty strings than strings.');
    const moments = Moments.fromState(state.moments);
    const kll = KllSketch.fromState(state.kll);
    const hll = HyperLogLog.fromState(state.hll);
    const items = FrequentItems.fromState(state.items);
    const numbers = NumberCounts.fromState(state.numbers);
    if (moments.count !== c.numberCount || kll.n !== c.numberCount) throw new ProfileError('Invalid column profile: numeric counts differ.');
    if (items.total !== c.stringCount + c.booleanCount) throw new ProfileError('Invalid column profile: item counts differ.');
    return ColumnProfile.withSketches(counts, moments, kll, hll, items, numbers);
  }

  private static withSketches(
    counts: ColumnCounts,
    moments: Moments,
    kll: KllSketch,
    hll: HyperLogLog,
    items: FrequentItems,
    numbers: NumberCounts,
  ): ColumnProfile {
    const profile = Object.create(ColumnProfile.prototype) as ColumnProfile;
    Object.assign(profile, { counts: { ...counts }, moments, kll, hll, items, numbers });
    return profile;
  }

  /** The options this profile was built with (merging needs equal ones). */
  get options(): Omit<ResolvedProfileOptions, 'seed'> {
    return {
      kllK: this.kll.k,
      hllLgK: this.hll.lgK,
      itemsCapacity: this.items.capacity,
      numbersCapacity: this.numbers.capacity,
    };
  }
}
