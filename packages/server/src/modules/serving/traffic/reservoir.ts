import type { RandomSource } from './random-source.js';

/**
 * A uniform sample of at most `capacity` numbers out of however many were offered (Vitter's
 * algorithm R): memory stays fixed while traffic flows, and every value offered so far had the
 * same chance of being kept, so quantiles and distribution tests on the sample are unbiased.
 */
export interface Reservoir {
  add(value: number): void;
  /** How many values were offered since the last reset (kept or not). */
  readonly seen: number;
  /** The kept values, in no particular order (a copy). */
  values(): number[];
  reset(): void;
}

export function createReservoir(capacity: number, random: RandomSource = Math.random): Reservoir {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`reservoir capacity must be a positive integer, got ${capacity}`);
  // Allocated once: adding a value on the request path allocates nothing.
  const slots = new Float64Array(capacity);
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    add(value) {
      seen++;
      if (seen <= capacity) {
        slots[seen - 1] = value;
        return;
      }
      const slot = Math.floor(random() * seen);
      if (slot < capacity) slots[slot] = value;
    },
    values: () => Array.from(slots.subarray(0, Math.min(seen, capacity))),
    reset() {
      seen = 0;
    },
  };
}
