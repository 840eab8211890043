import { describe, expect, it } from 'vitest';
import { createReservoir } from './reservoir.js';
import { seededRandom } from '../../../core/test-support/seeded-random.js';

describe('createReservoir', () => {
  it('keeps everything until full', () => {
    const reservoir = createReservoir(5, seededRandom(1));
    [1, 2, 3].forEach((v) => reservoir.add(v));
    expect(reservoir.values()).toEqual([1, 2, 3]);
    expect(reservoir.seen).toBe(3);
  });

  it('never holds more than its capacity, while counting every value', () => {
    const reservoir = createReservoir(100, seededRandom(2));
    for (let i = 0; i < 50_000; i++) reservoir.add(i);
    expect(reservoir.values()).toHaveLength(100);
    expect(reservoir.seen).toBe(50_000);
    expect(new Set(reservoir.values()).size).toBe(100);
  });

  it('samples uniformly: late values are kept as often as early ones', () => {
    // 10,000 values in a reservoir of 1,000: each kept with probability 1/10, so about 500 of the
    // first half and 500 of the second (standard deviation about 16).
    const reservoir = createReservoir(1_000, seededRandom(3));
    for (let i = 0; i < 10_000; i++) reservoir.add(i);
    const early = reservoir.values().filter((v) => v < 5_000).length;
    expect(Math.abs(early - 500)).toBeLessThan(80);
  });

  it('starts over on reset', () => {
    const reservoir = createReservoir(3, seededRandom(4));
    [1, 2, 3, 4].forEach((v) => reservoir.add(v));
    reservoir.reset();
    reservoir.add(9);
    expect(reservoir.values()).toEqual([9]);
    expect(reservoir.seen).toBe(1);
  });

  it('refuses a capacity it cannot hold', () => {
    expect(() => createReservoir(0)).toThrow(RangeError);
    expect(() => createReservoir(1.5)).toThrow(RangeError);
  });
});
