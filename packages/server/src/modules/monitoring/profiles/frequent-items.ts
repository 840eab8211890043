/**
 * Frequent items (heavy hitters) of a column's strings and booleans: Misra-Gries with DataSketches'
 * purge rule (FrequentItemsSketch), mergeable as in Agarwal et al., "Mergeable Summaries" (2012).
 *
 * Up to `capacity` items are counted exactly. When one more arrives, the median count is subtracted
 * from every counter, counters at or below zero are dropped (at least half of them) and the median
 * is added to `offset`. Every count kept is a lower bound; the true count of any item lies within
 * [count, count + offset] (0 for an item not kept), and offset <= 2 * total / (capacity + 2)
 * (each unit of offset removes at least (capacity + 2) / 2 units of weight). An item more frequent
 * than offset is therefore always kept. While offset is 0 every count is exact and the number of
 * items is the exact distinct count.
 *
 * Merge adds the other sketch's counters (purging as above when the map overflows) and its offset;
 * the bound holds for the merged total. Merge is associative and commutative while no purge
 * happens; after purges only the bound is.
 */
import { ProfileError } from './errors.js';

export type Item = string | boolean;

export const DEFAULT_ITEMS_CAPACITY = 256;
export const MIN_ITEMS_CAPACITY = 4;
export const MAX_ITEMS_CAPACITY = 1 << 16;

export function checkItemsCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < MIN_ITEMS_CAPACITY || capacity > MAX_ITEMS_CAPACITY) {
    throw new ProfileError(
      `The frequent-items capacity must be an integer between ${MIN_ITEMS_CAPACITY} and ${MAX_ITEMS_CAPACITY}, got ${capacity}.`,
    );
  }
}

export interface ItemEstimate {
  readonly item: Item;
  /** Counted occurrences: a lower bound of the true count. */
  readonly lowerBound: number;
  /** lowerBound + offset. */
  readonly upperBound: number;
}

export interface FrequentItemsState {
  readonly capacity: number;
  readonly total: number;
  readonly offset: number;
  readonly items: readonly (readonly [Item, number])[];
}

export class FrequentItems {
  readonly capacity: number;
  private readonly counts = new Map<Item, number>();
  private totalWeight = 0;
  private offsetWeight = 0;

  constructor(capacity: number = DEFAULT_ITEMS_CAPACITY) {
    checkItemsCapacity(capacity);
    this.capacity = capacity;
  }

  /** Weight of everything added (kept or not). */
  get total(): number {
    return this.totalWeight;
  }

  /** Maximum undercount of any item (0 while every count is exact). */
  get offset(): number {
    return this.offsetWeight;
  }

  get isExact(): boolean {
    return this.offsetWeight === 0;
  }

  /** Items kept. */
  get size(): number {
    return this.counts.size;
  }

  add(item: Item, weight = 1): void {
    this.counts.set(item, (this.counts.get(item) ?? 0) + weight);
    this.totalWeight += weight;
    if (this.counts.size > this.capacity) this.purge();
  }

  private purge(): void {
    const values = Float64Array.from(this.counts.values()).sort();
    const median = values[Math.floor(values.length / 2)];
    for (const [item, count] of this.counts) {
      if (count <= median) this.counts.delete(item);
      else this.counts.set(item, count - median);
    }
    this.offsetWeight += median;
  }

  merge(other: FrequentItems): void {
    if (other.capacity !== this.capacity) {
      throw new ProfileError(`Cannot merge frequent-items sketches with capacities ${this.capacity} and ${other.capacity}.`);
    }
    for (const [item, count] of other.counts) {
      this.counts.set(item, (this.counts.get(item) ?? 0) + count);
      if (this.counts.size > this.capacity) this.purge();
    }
    this.totalWeight += other.totalWeight;
    this.offsetWeight += other.offsetWeight;
  }

  /** Counted occurrences of an item (a lower bound; 0 when not kept). */
  lowerBound(item: Item): number {
    return this.counts.get(item) ?? 0;
  }

  upperBound(item: Item): number {
    return this.lowerBound(item) + this.offsetWeight;
  }

  /** Kept items, most frequent first (ties in insertion order). */
  items(): ItemEstimate[] {
    const out = [...this.counts].map(([item, count]) => ({ item, lowerBound: count, upperBound: count + this.offsetWeight }));
    return out.sort((a, b) => b.lowerBound - a.lowerBound);
  }

  /** Kept items as [item, count] pairs, in map order (for building category counts). */
  entries(): IterableIterator<[Item, number]> {
    return this.counts.entries();
  }

  copy(): FrequentItems {
    return FrequentItems.fromState(this.toState());
  }

  toState(): FrequentItemsState {
    return { capacity: this.capacity, total: this.totalWeight, offset: this.offsetWeight, items: [...this.counts] };
  }

  static fromState(state: FrequentItemsState): FrequentItems {
    const bad = (what: string): never => {
      throw new ProfileError(`Invalid frequent-items sketch: ${what}.`);
    };
    if (typeof state !== 'object' || state === null || !Array.isArray(state.items)) bad('not an object with items');
    const out = new FrequentItems(state.capacity);
    if (!Number.isSafeInteger(state.total) || state.total < 0) bad('total');
    if (!Number.isSafeInteger(state.offset) || state.offset < 0) bad('offset');
    if (state.items.length > state.capacity) bad('more items than its capacity');
    let sum = 0;
    for (const entry of state.items as readonly unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) bad('an item is not an [item, count] pair');
      const [item, count] = entry as [unknown, unknown];
      if (typeof item !== 'string' && typeof item !== 'boolean') bad('an item is not a string or boolean');
      if (!Number.isSafeInteger(count) || (count as number) <= 0) bad('a count is not a positive integer');
      if (out.counts.has(item as Item)) bad('an item appears twice');
      out.counts.set(item as Item, count as number);
      sum += count as number;
    }
    if (sum > state.total) bad('counts exceed the total');
    if (state.offset === 0 && sum !== state.total) bad('an exact sketch whose counts do not add up to its total');
    out.totalWeight = state.total;
    out.offsetWeight = state.offset;
    return out;
  }
}
