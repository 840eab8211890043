/**
 * KLL quantile sketch of doubles (Karnin, Lang & Liberty, "Optimal Quantile Approximation in
 * Streams", FOCS 2016), laid out and compacted the way Apache DataSketches' KllDoublesSketch does it.
 * No maintained JavaScript KLL exists on npm (see README.md), so this is a port of the design:
 *
 * - Levels of compactors; an item at level h stands for 2^h input values. With H levels, level h
 *   holds up to max(8, round(k * (2/3)^(H - 1 - h))) items: the top level k, each level below it
 *   2/3 of the one above, never fewer than 8 (DataSketches' m).
 * - All levels live in one Float64Array, level 0 lowest; free space sits below level 0, so an
 *   update is a store and a decrement. When it runs out, the lowest level at capacity is compacted:
 *   sorted (level 0 only; higher levels stay sorted), an odd item left behind, and every other item
 *   of the rest, starting at a random offset, promoted and merged into the level above. A new top
 *   level is added when the top itself has to be compacted.
 * - Merging concatenates level by level and compacts (DataSketches' generalDoublesCompress) until
 *   the retained items fit the capacity again. Weights are preserved exactly: the total weight of
 *   the retained items is always n.
 *
 * Error: the rank of any value is within epsilon * n with ~99 % confidence, epsilon from
 * DataSketches' fitted formulas (k = 200: 1.33 % for a rank or CDF value, 1.65 % for the mass
 * between two values). The random offsets come from a seeded xorshift, so a sketch fed the same
 * values in the same order is the same sketch.
 */
import { ProfileError } from './errors.js';

export const DEFAULT_KLL_K = 200;
export const MIN_KLL_K = 8;
export const MAX_KLL_K = 65535;
/** DataSketches' minimum level width m. */
const MIN_WIDTH = 8;
const MAX_DEPTH = 64;

const capacityTables = new Map<number, Int32Array>();

/** round(k * (2/3)^depth) as DataSketches' intCapAux computes it (integer arithmetic, round half up). */
function capacityAtDepth(k: number, depth: number): number {
  const aux = (kk: bigint, d: number): bigint => ((((2n * kk) << BigInt(d)) / 3n ** BigInt(d)) + 1n) >> 1n;
  if (depth <= 30) return Number(aux(BigInt(k), depth));
  const half = Math.floor(depth / 2);
  return Number(aux(aux(BigInt(k), half), depth - half));
}

function capacityTable(k: number): Int32Array {
  let table = capacityTables.get(k);
  if (!table) {
    table = new Int32Array(MAX_DEPTH + 1);
    for (let depth = 0; depth <= MAX_DEPTH; depth++) table[depth] = Math.max(MIN_WIDTH, capacityAtDepth(k, depth));
    capacityTables.set(k, table);
  }
  return table;
}

export function checkKllK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_KLL_K || k > MAX_KLL_K) {
    throw new ProfileError(`KLL k must be an integer between ${MIN_KLL_K} and ${MAX_KLL_K}, got ${k}.`);
  }
}

/**
 * DataSketches' a-priori normalised rank error for a given k (99 % confidence): for a single rank or
 * CDF value, or (pmf) for the mass between two values.
 */
export function kllRankError(k: number, pmf = false): number {
  return pmf ? 2.446 / k ** 0.9433 : 2.296 / k ** 0.9723;
}

/** The items a sketch retains, ascending, with the number of input values each stands for. */
export interface KllSortedView {
  readonly values: Float64Array;
  readonly weights: Float64Array;
  readonly n: number;
}

/** The JSON-safe state of a sketch (items as little-endian float64, base64). */
export interface KllState {
  readonly k: number;
  readonly n: number;
  readonly min: number | null;
  readonly max: number | null;
  /** Items per level, level 0 first. */
  readonly levels: readonly number[];
  readonly items: string;
  readonly levelZeroSorted: boolean;
  /** Slots the sketch had allocated (retained + free), so a restored sketch compacts when this one would. */
  readonly capacity: number;
  readonly rng: number;
}

function encodeFloat64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new ProfileError('KLL items are not a whole number of float64 values.');
  const out = new Float64Array(bytes.length / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** Sorts items[from, to) ascending: insertion sort for the short runs the bottom levels hold. */
function sortRange(items: Float64Array, from: number, to: number): void {
  if (to - from > 48) {
    items.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = items[i];
    let j = i - 1;
    while (j >= from && items[j] > v) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = v;
  }
}

/** Merges two ascending runs into a new array. */
function mergeRuns(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) out[o++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[o++] = a[i++];
  while (j < b.length) out[o++] = b[j++];
  return out;
}

export class KllSketch {
  readonly k: number;
  private readonly caps: Int32Array;
  private count = 0;
  private minItem = Number.NaN;
  private maxItem = Number.NaN;
  private items: Float64Array;
  /** levels[h] is where level h starts in items; levels[numLevels] === items.length. */
  private levels: number[];
  private levelZeroSorted = false;
  private rng: number;

  constructor(k: number = DEFAULT_KLL_K, seed = 0x2545f491) {
    checkKllK(k);
    this.k = k;
    this.caps = capacityTable(k);
    this.items = new Float64Array(k);
    this.levels = [k, k];
    this.rng = seed >>> 0 || 0x2545f491;
  }

  get n(): number {
    return this.count;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get min(): number {
    return this.minItem;
  }

  get max(): number {
    return this.maxItem;
  }

  get numLevels(): number {
    return this.levels.length - 1;
  }

  get numRetained(): number {
    return this.items.length - this.levels[0];
  }

  /** True once a compaction happened, i.e. the sketch no longer holds every value it was given. */
  get isEstimationMode(): boolean {
    return this.numLevels > 1;
  }

  /** Single-rank error bound of this sketch (0 while it still holds every value). */
  rankError(pmf = false): number {
    return this.isEstimationMode ? kllRankError(this.k, pmf) : 0;
  }

  private levelCapacity(numLevels: number, level: number): number {
    return this.caps[Math.min(numLevels - level - 1, MAX_DEPTH)];
  }

  private randomBit(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng >>> 31;
  }

  /** Adds one finite value (NaN and infinities must be filtered by the caller). */
  update(value: number): void {
    if (this.count === 0) {
      this.minItem = value;
      this.maxItem = value;
    } else {
      if (value < this.minItem) this.minItem = value;
      if (value > this.maxItem) this.maxItem = value;
    }
    if (this.levels[0] === 0) this.compressWhileUpdating();
    this.count++;
    this.levelZeroSorted = false;
    const at = --this.levels[0];
    this.items[at] = value;
  }

  /** Adds the first `length` values of a buffer of finite values. */
  updateMany(values: Float64Array, length: number): void {
    if (length === 0) return;
    let min = this.count === 0 ? values[0] : this.minItem;
    let max = this.count === 0 ? values[0] : this.maxItem;
    let i = 0;
    while (i < length) {
      if (this.levels[0] === 0) this.compressWhileUpdating();
      const free = this.levels[0];
      const take = Math.min(free, length - i);
      const items = this.items;
      let at = free;
      for (let j = 0; j < take; j++) {
        const v = values[i + j];
        if (v < min) min = v;
        if (v > max) max = v;
        items[--at] = v;
      }
      this.levels[0] = at;
      i += take;
    }
    this.count += length;
    this.minItem = min;
    this.maxItem = max;
    this.levelZeroSorted = false;
  }

  private findLevelToCompact(): number {
    const numLevels = this.numLevels;
    for (let level = 0; level < numLevels; level++) {
      const pop = this.levels[level + 1] - this.levels[level];
      if (pop >= this.levelCapacity(numLevels, level)) return level;
    }
    throw new ProfileError('KLL invariant broken: no level is full.');
  }

  private addEmptyTopLevel(): void {
    const numLevels = this.numLevels;
    const current = this.items.length;
    const delta = this.levelCapacity(numLevels + 1, 0);
    const items = new Float64Array(current + delta);
    items.set(this.items, delta);
    this.items = items;
    for (let h = 0; h <= numLevels; h++) this.levels[h] += delta;
    this.levels.push(current + delta);
  }

  private compressWhileUpdating(): void {
    const level = this.findLevelToCompact();
    if (level === this.numLevels - 1) this.addEmptyTopLevel();
    const items = this.items;
    const levels = this.levels;
    const rawBeg = levels[level];
    const rawEnd = levels[level + 1];
    const popAbove = levels[level + 2] - rawEnd;
    const rawPop = rawEnd - rawBeg;
    const oddPop = (rawPop & 1) === 1;
    const adjBeg = oddPop ? rawBeg + 1 : rawBeg;
    const adjPop = oddPop ? rawPop - 1 : rawPop;
    const halfAdjPop = adjPop >>> 1;
    if (level === 0) sortRange(items, adjBeg, adjBeg + adjPop);
    if (popAbove === 0) {
      this.halveUp(items, adjBeg, adjPop);
    } else {
      this.halveDown(items, adjBeg, adjPop);
      // Merge the survivors (at adjBeg) with the level above (at rawEnd) into adjBeg + halfAdjPop.
      // The destination never overtakes an unread item of either run.
      let i = adjBeg;
      const iEnd = adjBeg + halfAdjPop;
      let j = rawEnd;
      const jEnd = rawEnd + popAbove;
      let o = adjBeg + halfAdjPop;
      while (i < iEnd && j < jEnd) items[o++] = items[i] <= items[j] ? items[i++] : items[j++];
      while (i < iEnd) items[o++] = items[i++];
      while (j < jEnd) items[o++] = items[j++];
    }
    levels[level + 1] -= halfAdjPop;
    if (oddPop) {
      levels[level] = levels[level + 1] - 1;
      items[levels[level]] = items[rawBeg];
    } else {
      levels[level] = levels[level + 1];
    }
    if (level > 0) {
      const amount = rawBeg - levels[0];
      items.copyWithin(levels[0] + halfAdjPop, levels[0], levels[0] + amount);
      for (let h = 0; h < level; h++) levels[h] += halfAdjPop;
    }
  }

  /** Keeps every other item from a random offset, packed into the upper half of the range. */
  private halveUp(items: Float64Array, start: number, length: number): void {
    const half = length >>> 1;
    const offset = this.randomBit();
    let j = start + length - 1 - offset;
    for (let i = start + length - 1; i >= start + half; i--) {
      items[i] = items[j];
      j -= 2;
    }
  }

  /** Keeps every other item from a random offset, packed into the lower half of the range. */
  private halveDown(items: Float64Array, start: number, length: number): void {
    const half = length >>> 1;
    const offset = this.randomBit();
    let j = start + offset;
    for (let i = start; i < start + half; i++) {
      items[i] = items[j];
      j += 2;
    }
  }

  private levelRuns(): Float64Array[] {
    const runs: Float64Array[] = [];
    for (let h = 0; h < this.numLevels; h++) runs.push(this.items.slice(this.levels[h], this.levels[h + 1]));
    if (!this.levelZeroSorted) runs[0].sort();
    return runs;
  }

  /** Merges another sketch (same k) into this one; the other is not changed. */
  merge(other: KllSketch): void {
    if (other.k !== this.k) throw new ProfileError(`Cannot merge KLL sketches with k ${this.k} and ${other.k}.`);
    if (other.count === 0) return;
    if (this.count === 0) {
      this.minItem = other.minItem;
      this.maxItem = other.maxItem;
    } else {
      this.minItem = Math.min(this.minItem, other.minItem);
      this.maxItem = Math.max(this.maxItem, other.maxItem);
    }
    this.count += other.count;
    const mine = this.levelRuns();
    const theirs = other.levelRuns();
    const work: Float64Array[] = [];
    for (let h = 0; h < Math.max(mine.length, theirs.length); h++) {
      const a = mine[h] ?? new Float64Array(0);
      const b = theirs[h] ?? new Float64Array(0);
      work.push(mergeRuns(a, b));
    }
    this.generalCompress(work);
  }

  /** DataSketches' generalDoublesCompress on level runs (all sorted), then the flat layout rebuilt. */
  private generalCompress(work: Float64Array[]): void {
    let numLevels = work.length;
    let current = 0;
    for (const run of work) current += run.length;
    let target = 0;
    for (let h = 0; h < numLevels; h++) target += this.levelCapacity(numLevels, h);
    for (let level = 0; level < numLevels; level++) {
      const run = work[level];
      if (current < target || run.length < this.levelCapacity(numLevels, level)) continue;
      if (level === numLevels - 1) work.push(new Float64Array(0));
      const oddPop = (run.length & 1) === 1;
      const adjBeg = oddPop ? 1 : 0;
      const half = (run.length - adjBeg) >>> 1;
      const offset = this.randomBit();
      const survivors = new Float64Array(half);
      for (let i = 0; i < half; i++) survivors[i] = run[adjBeg + offset + 2 * i];
      work[level + 1] = mergeRuns(survivors, work[level + 1]);
      work[level] = oddPop ? run.slice(0, 1) : new Float64Array(0);
      current -= half;
      if (level === numLevels - 1) {
        numLevels++;
        target += this.levelCapacity(numLevels, 0);
      }
    }
    this.layOut(work, 0, true);
  }

  /** Rebuilds items/levels from level runs, free space below level 0. */
  private layOut(runs: readonly Float64Array[], minimumCapacity: number, levelZeroSorted: boolean): void {
    const numLevels = runs.length;
    let retained = 0;
    for (const run of runs) retained += run.length;
    let capacity = 0;
    for (let h = 0; h < numLevels; h++) capacity += this.levelCapacity(numLevels, h);
    const total = Math.max(capacity, retained, minimumCapacity);
    const items = new Float64Array(total);
    const levels = new Array<number>(numLevels + 1);
    let at = total - retained;
    for (let h = 0; h < numLevels; h++) {
      levels[h] = at;
      items.set(runs[h], at);
      at += runs[h].length;
    }
    levels[numLevels] = total;
    this.items = items;
    this.levels = levels;
    this.levelZeroSorted = levelZeroSorted;
  }

  /** The retained items ascending, equal values combined, with their weights (summing to n). */
  sortedView(): KllSortedView {
    const runs = this.levelRuns();
    let merged = new Float64Array(0);
    let mergedWeights = new Float64Array(0);
    for (let h = 0; h < runs.length; h++) {
      const run = runs[h];
      if (run.length === 0) continue;
      const weight = 2 ** h;
      const values = new Float64Array(merged.length + run.length);
      const weights = new Float64Array(values.length);
      let i = 0;
      let j = 0;
      let o = 0;
      while (i < merged.length || j < run.length) {
        if (j >= run.length || (i < merged.length && merged[i] <= run[j])) {
          values[o] = merged[i];
          weights[o++] = mergedWeights[i++];
        } else {
          values[o] = run[j++];
          weights[o++] = weight;
        }
      }
      merged = values;
      mergedWeights = weights;
    }
    // Combine equal values.
    let distinct = 0;
    for (let i = 0; i < merged.length; i++) {
      if (distinct > 0 && merged[distinct - 1] === merged[i]) mergedWeights[distinct - 1] += mergedWeights[i];
      else {
        merged[distinct] = merged[i];
        mergedWeights[distinct++] = mergedWeights[i];
      }
    }
    return { values: merged.slice(0, distinct), weights: mergedWeights.slice(0, distinct), n: this.count };
  }

  /** Share of values <= x (inclusive) or < x. */
  rank(x: number, inclusive = true): number {
    if (this.count === 0) return Number.NaN;
    let weight = 0;
    for (let h = 0; h < this.numLevels; h++) {
      const w = 2 ** h;
      for (let i = this.levels[h]; i < this.levels[h + 1]; i++) {
        const v = this.items[i];
        if (inclusive ? v <= x : v < x) weight += w;
      }
    }
    return weight / this.count;
  }

  /** The smallest retained value whose inclusive rank is >= q (the exact min and max at 0 and 1). */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (!(q >= 0 && q <= 1)) throw new ProfileError(`A quantile rank must be between 0 and 1, got ${q}.`);
    if (q === 0) return this.minItem;
    if (q === 1) return this.maxItem;
    const view = this.sortedView();
    const wanted = q * this.count;
    let cumulative = 0;
    for (let i = 0; i < view.values.length; i++) {
      cumulative += view.weights[i];
      if (cumulative >= wanted) return view.values[i];
    }
    return this.maxItem;
  }

  copy(): KllSketch {
    return KllSketch.fromState(this.toState());
  }

  toState(): KllState {
    const sizes: number[] = [];
    for (let h = 0; h < this.numLevels; h++) sizes.push(this.levels[h + 1] - this.levels[h]);
    return {
      k: this.k,
      n: this.count,
      min: this.count === 0 ? null : this.minItem,
      max: this.count === 0 ? null : this.maxItem,
      levels: sizes,
      items: encodeFloat64(this.items.subarray(this.levels[0])),
      levelZeroSorted: this.levelZeroSorted,
      capacity: this.items.length,
      rng: this.rng,
    };
  }

  static fromState(state: KllState): KllSketch {
    const bad = (what: string): never => {
      throw new ProfileError(`Invalid KLL sketch: ${what}.`);
    };
    if (typeof state !== 'object' || state === null) bad('not an object');
    checkKllK(state.k);
    const sketch = new KllSketch(state.k, state.rng);
    if (!Number.isSafeInteger(state.n) || state.n < 0) bad('n');
    if (!Array.isArray(state.levels) || state.levels.length === 0) bad('levels');
    if (state.levels.some((size) => !Number.isInteger(size) || size < 0)) bad('level sizes');
    if (typeof state.items !== 'string') bad('items');
    const items = decodeFloat64(state.items);
    const retained = state.levels.reduce((a, b) => a + b, 0);
    if (retained !== items.length) bad('item count does not match the level sizes');
    let weight = 0;
    state.levels.forEach((size, h) => (weight += size * 2 ** h));
    if (weight !== state.n) bad('weights do not add up to n');
    for (const v of items) if (!Number.isFinite(v)) bad('non-finite item');
    if (state.n > 0) {
      if (typeof state.min !== 'number' || typeof state.max !== 'number' || !(state.min <= state.max)) bad('min/max');
      sketch.minItem = state.min as number;
      sketch.maxItem = state.max as number;
    }
    const runs: Float64Array[] = [];
    let at = 0;
    for (const size of state.levels) {
      runs.push(items.slice(at, at + size));
      at += size;
    }
    for (let h = state.levelZeroSorted ? 0 : 1; h < runs.length; h++) {
      for (let i = 1; i < runs[h].length; i++) if (runs[h][i - 1] > runs[h][i]) bad(`level ${h} is not sorted`);
    }
    if (!Number.isSafeInteger(state.capacity) || state.capacity < retained || state.capacity > 64 * state.k + 64 * 64) bad('capacity');
    sketch.count = state.n;
    sketch.layOut(runs, state.capacity, state.levelZeroSorted === true);
    return sketch;
  }
}
