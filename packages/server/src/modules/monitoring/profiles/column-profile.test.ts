import { describe, expect, it } from 'vitest';
import { inferColumnType, type DriftValue } from '../drift/index.js';
import { ColumnProfile } from './column-profile.js';
import { inferProfileColumnType } from './profile-drift.js';

function profileOf(values: readonly DriftValue[] | Float64Array): ColumnProfile {
  const profile = new ColumnProfile();
  profile.add(values);
  return profile;
}

describe('column profile', () => {
  it('counts null, NaN, +-Infinity and empty strings as the drift and quality modules do', () => {
    const p = profileOf([1, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.5, '', 'a', true]);
    expect(p.counts).toMatchObject({
      count: 9,
      nullCount: 1,
      nanCount: 1,
      infinityCount: 2,
      negativeInfinityCount: 1,
      emptyStringCount: 1,
      numberCount: 2,
      stringCount: 2,
      booleanCount: 1,
      allWhole: false,
    });
    expect(p.cleanCount).toBe(5); // what the drift library tests: 1, 2.5, '', 'a', true
    expect(p.missingCount).toBe(5); // what the quality module counts missing: null, NaN, +-inf, ''
    expect([p.moments.count, p.moments.mean, p.kll.min, p.kll.max]).toEqual([2, 1.75, 1, 2.5]);
    expect(p.dtype).toBe('object');
  });

  it('profiles an empty column', () => {
    const p = profileOf([]);
    expect(p.counts.count).toBe(0);
    expect(p.cleanCount).toBe(0);
    expect(p.kll.n).toBe(0);
    expect(p.moments.populationVariance).toBeNaN();
    expect(p.distinctCount()).toEqual({ value: 0, exact: true });
    expect(p.dtype).toBe('object');
  });

  it('profiles an all-null column', () => {
    const p = profileOf([null, null, null]);
    expect(p.counts).toMatchObject({ count: 3, nullCount: 3, numberCount: 0 });
    expect(p.cleanCount).toBe(0);
    expect(p.hll.estimate()).toBe(0);
    expect(p.dtype).toBe('object');
  });

  it('profiles a single row', () => {
    const p = profileOf([42]);
    expect([p.moments.count, p.moments.mean, p.moments.m2, p.kll.quantile(0.5)]).toEqual([1, 42, 0, 42]);
    expect(p.distinctCount()).toEqual({ value: 1, exact: true });
    expect(p.dtype).toBe('int');
    expect(p.moments.sampleVariance).toBeNaN();
  });

  it('profiles a mixed numeric and string column', () => {
    const values: DriftValue[] = [];
    for (let i = 0; i < 1000; i++) values.push(i % 3 === 0 ? `s${i % 7}` : i);
    const p = profileOf(values);
    expect(p.counts.stringCount).toBe(334);
    expect(p.counts.numberCount).toBe(666);
    expect(p.items.isExact).toBe(true);
    expect(p.items.lowerBound('s0')).toBe(48);
    expect(p.numbers.isExact).toBe(false); // 666 distinct numbers > 128
    expect(p.kll.n).toBe(666);
    expect(Math.abs(p.hll.estimate() / 673 - 1)).toBeLessThan(0.05);
    expect(p.distinctCount().exact).toBe(false);
    expect(p.dtype).toBe('object');
  });

  it('computes moments like a two-pass formula, across chunks', () => {
    const values = Float64Array.from({ length: 10_001 }, (_, i) => 1e6 + Math.sin(i) * 3);
    const p = profileOf(values);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const m2 = values.reduce((a, b) => a + (b - mean) ** 2, 0);
    expect(p.moments.mean).toBeCloseTo(mean, 6);
    expect(p.moments.m2 / m2).toBeCloseTo(1, 9);
  });

  it('gives the same profile from cells and from a Float64Array', () => {
    const cells: DriftValue[] = [];
    for (let i = 0; i < 5000; i++) cells.push(i % 97 === 0 ? Number.NaN : i % 101 === 0 ? Number.NEGATIVE_INFINITY : (i * 7919) % 1000.5);
    const fromCells = profileOf(cells);
    const fromTyped = profileOf(Float64Array.from(cells as number[]));
    expect(fromTyped.toState()).toEqual(fromCells.toState());
  });

  it('keeps exact counts of few distinct numbers and drops them beyond the capacity', () => {
    const p = profileOf([3, 1, 3, -0, 0, 2]);
    expect(p.numbers.sorted()).toEqual([
      [0, 2],
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    const many = profileOf(Float64Array.from({ length: 129 }, (_, i) => i));
    expect(many.numbers.isExact).toBe(false);
  });

  it('refuses cells that are not numbers, strings, booleans or null', () => {
    expect(() => profileOf([1, {} as unknown as DriftValue])).toThrow(/not a number, string, boolean or null/);
  });

  it('types columns exactly as the drift library does', () => {
    const cases: DriftValue[][] = [
      [1, 2, 3],
      [1, 2, 3, 4, 5, 6],
      [1.5, 2],
      [1, null],
      [true, false],
      [true, null],
      ['a', 1],
      [1, true],
      [null],
      [],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, 1, 2],
      [1, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3, 4],
    ];
    for (const reference of cases) {
      for (const current of cases) {
        expect(inferProfileColumnType(profileOf(reference), profileOf(current)), `${JSON.stringify(reference)} / ${JSON.stringify(current)}`).toBe(
          inferColumnType(reference, current),
        );
      }
    }
  });
});
