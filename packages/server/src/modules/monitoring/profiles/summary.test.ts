import { describe, expect, it } from 'vitest';
import { kllRankError } from './kll.js';
import { mergeProfiles, profileColumns } from './dataset-profile.js';
import { SUMMARY_QUANTILES, summarizeProfile, type ColumnSummary } from './summary.js';
import { minstdRandom } from '../../../core/test-support/seeded-random.js';

/** np.quantile(values, q) (linear) on sorted values. */
function npQuantile(sorted: readonly number[], q: number): number {
  const virtual = (sorted.length - 1) * q;
  const below = Math.floor(virtual);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (virtual - below);
}

const columnOf = (summary: ReturnType<typeof summarizeProfile>, name: string): ColumnSummary => summary.columns.find((c) => c.column === name)!;

describe('profile summaries', () => {
  it("gives pandas' counts and numpy's figures when the profile holds the column exactly", () => {
    const random = minstdRandom(11);
    const values = Array.from({ length: 150 }, () => random() * 100 - 20);
    const cells = [...values, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const summary = summarizeProfile(profileColumns({ x: cells }));
    expect(summary.rows).toBe(154);
    const x = columnOf(summary, 'x');
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(x).toMatchObject({ dtype: 'float', count: 154, missing: 4, numbers: 150, strings: 0, booleans: 0, min: sorted[0], max: sorted[149], quantilesExact: true, distinct: 150, distinctExact: true });
    expect(x.mean).toBeCloseTo(mean, 12);
    expect(x.std).toBeCloseTo(std, 12);
    for (const [name, q] of Object.entries(SUMMARY_QUANTILES)) expect(x.quantiles![name as keyof typeof SUMMARY_QUANTILES], name).toBeCloseTo(npQuantile(sorted, q), 12);
  });

  it('lists the most frequent values with their bounds: strings, booleans and few distinct numbers', () => {
    const plan = [...Array<string>(50).fill('free'), ...Array<string>(30).fill('pro'), ...Array<string>(5).fill(''), ...Array<null>(15).fill(null)];
    const code = Array.from({ length: 100 }, (_, i) => [1, 1, 1, 2, 2, 3][i % 6]!);
    const flag = Array.from({ length: 100 }, (_, i) => i % 4 === 0);
    const summary = summarizeProfile(profileColumns({ plan, code, flag }));
    const planSummary = columnOf(summary, 'plan');
    expect(planSummary).toMatchObject({ dtype: 'object', count: 100, missing: 20, strings: 85, distinct: 3, distinctExact: true, quantilesExact: false });
    expect([planSummary.min, planSummary.max, planSummary.mean, planSummary.std, planSummary.quantiles]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(planSummary.top).toEqual([
      { value: 'free', count: 50, countUpperBound: 50 },
      { value: 'pro', count: 30, countUpperBound: 30 },
      { value: '', count: 5, countUpperBound: 5 },
    ]);
    expect(columnOf(summary, 'code')).toMatchObject({ dtype: 'int', min: 1, max: 3, distinct: 3, quantilesExact: true, quantiles: { p01: 1, p50: 1, p75: 2, p99: 3 } });
    expect(columnOf(summary, 'code').top.map((t) => [t.value, t.count])).toEqual([
      [1, 51],
      [2, 33],
      [3, 16],
    ]);
    expect(columnOf(summary, 'flag')).toMatchObject({ dtype: 'bool', booleans: 100, distinct: 2, top: [{ value: false, count: 75, countUpperBound: 75 }, { value: true, count: 25, countUpperBound: 25 }] });
    expect(columnOf(summary, 'flag').mean).toBeUndefined();
  });

  it('keeps quantiles within the KLL rank error on a large merged profile, and says they are approximate', () => {
    const random = minstdRandom(5);
    const normal = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
    const parts = Array.from({ length: 4 }, () => Float64Array.from({ length: 50_000 }, normal));
    const merged = parts.map((p) => profileColumns({ z: p })).reduce((a, b) => mergeProfiles(a, b));
    const z = columnOf(summarizeProfile(merged), 'z');
    const all = Float64Array.from(parts.flatMap((p) => [...p])).sort();
    expect(z).toMatchObject({ count: 200_000, numbers: 200_000, quantilesExact: false, distinctExact: false, min: all[0], max: all[all.length - 1] });
    expect(Math.abs(z.distinct - 200_000) / 200_000).toBeLessThan(0.05);
    const bound = kllRankError(200, false);
    for (const [name, q] of Object.entries(SUMMARY_QUANTILES)) {
      const value = z.quantiles![name as keyof typeof SUMMARY_QUANTILES];
      // The share of values at or below the reported quantile is within the rank error of q.
      let below = 0;
      while (below < all.length && all[below]! <= value) below++;
      expect(Math.abs(below / all.length - q), name).toBeLessThanOrEqual(bound);
    }
    expect(z.top).toEqual([]);
  });

  it('summarises an empty column and an empty profile', () => {
    expect(summarizeProfile(profileColumns({}))).toEqual({ rows: 0, columns: [] });
    const empty = columnOf(summarizeProfile(profileColumns({ e: [null, null] })), 'e');
    expect(empty).toEqual({ column: 'e', dtype: 'object', count: 2, missing: 2, numbers: 0, strings: 0, booleans: 0, distinct: 0, distinctExact: true, top: [], quantilesExact: false });
  });
});
