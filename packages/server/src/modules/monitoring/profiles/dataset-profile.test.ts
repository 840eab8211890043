import { describe, expect, it } from 'vitest';
import type { DriftValue } from '../drift/index.js';
import { mergeProfiles, profileColumns } from './dataset-profile.js';
import { deserializeProfile, serializeProfile } from './serialize.js';
import { kllRankError } from './kll.js';
import { minstdRandom } from '../../../core/test-support/seeded-random.js';

function table(rows: number, seed: number): { x: Float64Array; code: DriftValue[]; city: DriftValue[] } {
  const random = minstdRandom(seed);
  const x = new Float64Array(rows);
  const code: DriftValue[] = [];
  const city: DriftValue[] = [];
  for (let i = 0; i < rows; i++) {
    x[i] = i % 50 === 0 ? Number.NaN : Math.log(random()) * -3;
    code.push(Math.floor(random() * 4));
    city.push(random() < 0.01 ? null : `city-${Math.floor(random() ** 3 * 400)}`);
  }
  return { x, code, city };
}

function slice(t: ReturnType<typeof table>, from: number, to: number): ReturnType<typeof table> {
  return { x: t.x.slice(from, to), code: t.code.slice(from, to), city: t.city.slice(from, to) };
}

describe('dataset profile', () => {
  it('merges profiles of split data into (nearly) the profile of the whole', () => {
    const whole = table(60_000, 5);
    const full = profileColumns(whole);
    const parts = [0, 1, 2].map((p) => profileColumns(slice(whole, p * 20_000, (p + 1) * 20_000)));
    const leftFirst = mergeProfiles(mergeProfiles(parts[0], parts[1]), parts[2]);
    const rightFirst = mergeProfiles(parts[2], mergeProfiles(parts[1], parts[0]));
    for (const merged of [leftFirst, rightFirst]) {
      expect(merged.rowCount).toBe(60_000);
      const x = merged.column('x')!;
      const fx = full.column('x')!;
      // Counts, moments and exact summaries match exactly (up to float rounding for the moments).
      expect(x.counts).toEqual(fx.counts);
      expect(x.moments.mean).toBeCloseTo(fx.moments.mean, 10);
      expect(x.moments.m2 / fx.moments.m2).toBeCloseTo(1, 10);
      expect([x.kll.min, x.kll.max]).toEqual([fx.kll.min, fx.kll.max]);
      expect(merged.column('code')!.numbers.sorted()).toEqual(full.column('code')!.numbers.sorted());
      expect(merged.column('code')!.hll.registers).toEqual(full.column('code')!.hll.registers);
      expect(merged.column('city')!.hll.registers).toEqual(full.column('city')!.hll.registers);
      // Sketches agree within their bounds.
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        expect(Math.abs(fx.kll.rank(x.kll.quantile(q)) - q)).toBeLessThanOrEqual(2 * kllRankError(200));
      }
      const city = merged.column('city')!;
      const fcity = full.column('city')!;
      for (const { item, lowerBound } of fcity.items.items().slice(0, 5)) {
        expect(Math.abs(city.items.lowerBound(item) - lowerBound)).toBeLessThanOrEqual(city.items.offset + fcity.items.offset);
      }
    }
    // Inputs are not changed by merging.
    expect(parts[0].rowCount).toBe(20_000);
    expect(parts[0].column('x')!.kll.n).toBe(19_600);
  });

  it('counts a column missing from one side as nulls for that side', () => {
    const a = profileColumns({ x: [1, 2], y: ['a', 'b'] });
    const b = profileColumns({ x: [3] });
    const merged = mergeProfiles(a, b);
    expect(merged.rowCount).toBe(3);
    expect(merged.column('y')!.counts).toMatchObject({ count: 3, nullCount: 1, stringCount: 2 });
    const streamed = profileColumns({ x: [3] });
    streamed.add({ x: [1, 2], y: ['a', 'b'] });
    expect(streamed.column('y')!.counts).toMatchObject({ count: 3, nullCount: 1 });
    expect(mergeProfiles(b, a).column('y')!.counts).toEqual(merged.column('y')!.counts);
  });

  it('refuses columns of different lengths and profiles built with other parameters', () => {
    expect(() => profileColumns({ a: [1, 2], b: [1] })).toThrow(/differ in length/);
    expect(() => mergeProfiles(profileColumns({ a: [1] }), profileColumns({ a: [1] }, { kllK: 100 }))).toThrow(/different sketch parameters/);
    expect(() => profileColumns({ a: [1] }, { hllLgK: 30 })).toThrow(/lgK/);
  });

  it('round-trips through JSON, versioned, with a size that does not grow with the rows', () => {
    const profile = profileColumns(table(20_000, 8));
    const text = JSON.stringify(serializeProfile(profile));
    const restored = deserializeProfile(text);
    expect(restored.rowCount).toBe(profile.rowCount);
    expect(restored.columnNames).toEqual(profile.columnNames);
    for (const name of profile.columnNames) expect(restored.column(name)!.toState()).toEqual(profile.column(name)!.toState());
    expect(JSON.stringify(serializeProfile(restored))).toBe(text);
    const bigger = JSON.stringify(serializeProfile(profileColumns(table(200_000, 8))));
    expect(bigger.length).toBeLessThan(text.length * 1.3);
    expect(text.length).toBeLessThan(40_000);
    const parsed = JSON.parse(text);
    expect(() => deserializeProfile({ ...parsed, version: 2 })).toThrow(/Unsupported profile version 2/);
    expect(() => deserializeProfile({ ...parsed, format: 'x' })).toThrow(/Not a serialised profile/);
    expect(() => deserializeProfile('{')).toThrow(/must be JSON/);
    parsed.columns[0][1].count += 1;
    expect(() => deserializeProfile(parsed)).toThrow(/column 'x'/);
  });

  it('round-trips empty, all-null and single-row profiles', () => {
    const tables: Record<string, DriftValue[]>[] = [{}, { a: [] }, { a: [null, null] }, { a: [7] }, { a: [Number.NaN, Number.POSITIVE_INFINITY] }];
    for (const columns of tables) {
      const profile = profileColumns(columns);
      const restored = deserializeProfile(JSON.parse(JSON.stringify(serializeProfile(profile))));
      expect(serializeProfile(restored)).toEqual(serializeProfile(profile));
    }
  });
});
