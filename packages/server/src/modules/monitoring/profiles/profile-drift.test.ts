import { describe, expect, it } from 'vitest';
import { detectColumnDrift, detectDatasetDrift, DriftError, type DriftValue, type StatTestName } from '../drift/index.js';
import { ColumnProfile } from './column-profile.js';
import { profileColumns } from './dataset-profile.js';
import { detectColumnDriftOnProfiles, detectDatasetDriftOnProfiles } from './profile-drift.js';
import { PROFILE_STAT_TESTS } from './profile-stattests.js';
import { minstdRandom } from '../../../core/test-support/seeded-random.js';

function profileOf(values: readonly DriftValue[]): ColumnProfile {
  const profile = new ColumnProfile();
  profile.add(values);
  return profile;
}

function relativeGap(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

describe('drift on profiles', () => {
  it('equals sample-based drift when the profiles hold the data exactly', () => {
    const random = minstdRandom(3);
    const numericTests = PROFILE_STAT_TESTS.filter((t) => !['chisquare', 'z'].includes(t));
    const pairs: [DriftValue[], DriftValue[], 'numerical' | 'categorical', StatTestName[]][] = [
      // Continuous, at most 200 values a side: the KLL sketches never compacted.
      [
        Array.from({ length: 150 }, () => random() * 3),
        Array.from({ length: 180 }, () => random() * 3 + 0.4),
        'numerical',
        numericTests,
      ],
      // Integer codes with few distinct values: exact counts, any size.
      [
        Array.from({ length: 30_000 }, () => Math.floor(random() * 40)),
        Array.from({ length: 20_000 }, () => Math.floor(random() * 44)),
        'numerical',
        numericTests,
      ],
      [
        Array.from({ length: 3000 }, () => Math.floor(random() * 3)),
        Array.from({ length: 2000 }, () => Math.floor(random() * 3) + (random() < 0.05 ? 1 : 0)),
        'categorical',
        ['chisquare', 'z', 'jensenshannon', 'psi', 'kl_div', 'hellinger'],
      ],
      [
        Array.from({ length: 5000 }, () => `c${Math.floor(random() * 30)}`),
        Array.from({ length: 900 }, () => (random() < 0.02 ? null : `c${Math.floor(random() * 31)}`)),
        'categorical',
        ['chisquare', 'jensenshannon', 'psi', 'kl_div', 'hellinger'],
      ],
      [[true, false, true, true], [false, false, true, false, false], 'categorical', ['z', 'chisquare', 'jensenshannon']],
    ];
    for (const [reference, current, columnType, tests] of pairs) {
      const ref = profileOf(reference);
      const cur = profileOf(current);
      for (const stattest of [undefined, ...tests]) {
        const exact = detectColumnDrift(reference, current, { columnType, stattest });
        const approx = detectColumnDriftOnProfiles(ref, cur, { columnType, stattest });
        const label = `${columnType} ${stattest ?? 'default'}`;
        expect(approx.exact, label).toBe(true);
        expect(approx.rankError).toBe(0);
        expect(approx.stattest, label).toBe(exact.stattest);
        expect(relativeGap(approx.score, exact.score), label).toBeLessThan(1e-9);
        if (exact.statistic !== undefined) expect(relativeGap(approx.statistic as number, exact.statistic), label).toBeLessThan(1e-9);
        expect(approx.drifted, label).toBe(exact.drifted);
        expect([approx.referenceSize, approx.currentSize]).toEqual([exact.referenceSize, exact.currentSize]);
        expect(approx.threshold).toBe(exact.threshold);
      }
    }
  });

  it('stays within the KLL bound of exact drift on 20 random numeric column pairs', () => {
    const random = minstdRandom(11);
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const shapes = [normal, () => Math.exp(normal()), () => random() * 10, () => Math.floor(random() * 5000)];
    let clear = 0;
    for (let t = 0; t < 20; t++) {
      const shape = shapes[t % 4];
      const n1 = [3000, 8000, 20_000, 50_000][t % 4];
      const n2 = [5000, 20_000, 12_000, 4000][Math.floor(t / 4) % 4];
      const shift = [0, 0, 0.05, 0.6, 2][t % 5];
      const scale = [1, 1.4, 1, 1, 1, 0.5, 1][t % 7];
      const reference = Array.from({ length: n1 }, shape);
      const current = Array.from({ length: n2 }, () => shape() * scale + shift);
      const ref = profileOf(reference);
      const cur = profileOf(current);
      const label = `pair ${t}`;

      const exactKs = detectColumnDrift(reference, current, { stattest: 'ks' });
      const approxKs = detectColumnDriftOnProfiles(ref, cur, { stattest: 'ks' });
      expect(approxKs.exact).toBe(false);
      expect(approxKs.rankError).toBeCloseTo(ref.kll.rankError() + cur.kll.rankError(), 12);
      expect(Math.abs((approxKs.statistic as number) - (exactKs.statistic as number)), label).toBeLessThanOrEqual(approxKs.rankError);

      // The default test (normalised Wasserstein above 1,000 reference values) agrees on every pair
      // that is clearly on one side of its threshold.
      const exact = detectColumnDrift(reference, current);
      const approx = detectColumnDriftOnProfiles(ref, cur);
      expect(approx.stattest).toBe(exact.stattest);
      if (exact.score >= 2 * exact.threshold || exact.score <= exact.threshold / 2) {
        clear++;
        expect(approx.drifted, `${label}: exact ${exact.score}, profile ${approx.score}`).toBe(exact.drifted);
      }
      for (const stattest of ['jensenshannon', 'psi', 'psi_quantile'] as const) {
        const e = detectColumnDrift(reference, current, { stattest });
        const a = detectColumnDriftOnProfiles(ref, cur, { stattest });
        if (e.score >= 2 * e.threshold || e.score <= e.threshold / 3) expect(a.drifted, `${label} ${stattest}`).toBe(e.drifted);
      }
    }
    expect(clear).toBeGreaterThanOrEqual(15);
  });

  it('agrees with the KS verdict on small windows that clearly drifted or clearly did not', () => {
    const random = minstdRandom(19);
    for (let t = 0; t < 10; t++) {
      const shift = t % 2 === 0 ? 0 : 0.8;
      const reference = Array.from({ length: 900 }, () => random() + random() + random());
      const current = Array.from({ length: 700 }, () => random() + random() + random() + shift);
      const exact = detectColumnDrift(reference, current);
      const approx = detectColumnDriftOnProfiles(profileOf(reference), profileOf(current));
      expect(approx.stattest).toBe('ks');
      if (exact.score < 1e-6 || exact.score > 0.5) expect(approx.drifted).toBe(exact.drifted);
    }
  });

  it('uses frequent-item counts for categorical columns with more categories than it keeps', () => {
    const random = minstdRandom(23);
    const draw = (extra: number): string => (random() < 0.8 ? `hot-${Math.floor(random() * 5 + extra)}` : `tail-${Math.floor(random() * 400)}`);
    const reference = Array.from({ length: 40_000 }, () => draw(0));
    const same = Array.from({ length: 30_000 }, () => draw(0));
    const moved = Array.from({ length: 30_000 }, () => draw(3));
    const ref = profileOf(reference);
    expect(ref.items.isExact).toBe(false);
    for (const [current, drifted] of [
      [same, false],
      [moved, true],
    ] as const) {
      const exact = detectColumnDrift(reference, current);
      const approx = detectColumnDriftOnProfiles(ref, profileOf(current));
      expect(approx.stattest).toBe('jensenshannon');
      expect(exact.drifted).toBe(drifted);
      expect(approx.drifted).toBe(drifted);
      expect(approx.exact).toBe(false);
    }
    // A category the reference never had is drift for chi-square, as on samples.
    const newCategory = detectColumnDriftOnProfiles(profileOf(['a', 'b', 'a']), profileOf(['a', 'c']), { stattest: 'chisquare' });
    expect(newCategory.score).toBe(0);
    expect(newCategory.drifted).toBe(true);
  });

  it('compares datasets like detectDatasetDrift, with the same options', () => {
    const random = minstdRandom(29);
    const make = (rows: number, shift: number): Record<string, DriftValue[]> => ({
      age: Array.from({ length: rows }, () => Math.round(30 + 10 * random() + shift)),
      score: Array.from({ length: rows }, () => random() + shift / 10),
      plan: Array.from({ length: rows }, () => (random() < 0.3 + shift / 100 ? 'pro' : 'free')),
    });
    const reference = make(800, 0);
    const current = make(600, 20);
    const options = { perColumnStattest: { score: 't_test' as const }, categoricalThreshold: 0.01, driftShare: 0.6 };
    const exact = detectDatasetDrift(reference, current, options);
    const approx = detectDatasetDriftOnProfiles(profileColumns(reference), profileColumns(current), options);
    expect(approx.columns.map((c) => [c.column, c.columnType, c.stattest, c.threshold, c.drifted])).toEqual(
      exact.columns.map((c) => [c.column, c.columnType, c.stattest, c.threshold, c.drifted]),
    );
    expect([approx.numberOfColumns, approx.numberOfDriftedColumns, approx.datasetDrift, approx.driftShare]).toEqual([
      exact.numberOfColumns,
      exact.numberOfDriftedColumns,
      exact.datasetDrift,
      exact.driftShare,
    ]);
    // t_test reads the exact moments, so it is exact at any size.
    const tTest = approx.columns.find((c) => c.column === 'score')!;
    expect(tTest.exact).toBe(true);
    expect(relativeGap(tTest.score, exact.columns.find((c) => c.column === 'score')!.score)).toBeLessThan(1e-9);
  });

  it('refuses what the drift library refuses, and tests that need every value', () => {
    const numbers = profileOf([1, 2, 3]);
    expect(() => detectColumnDriftOnProfiles(profileOf([null, Number.NaN]), numbers)).toThrow(
      "An empty column 'column' was provided for drift calculation in the reference dataset.",
    );
    expect(() => detectColumnDriftOnProfiles(numbers, profileOf([]))).toThrow(/in the current dataset/);
    expect(() => detectColumnDriftOnProfiles(numbers, profileOf(['a', 2]), { columnType: 'numerical' })).toThrow(
      /should contain numerical values only/,
    );
    expect(() => detectColumnDriftOnProfiles(numbers, numbers, { columnType: 'numerical', stattest: 'anderson' })).toThrow(/needs the raw samples/);
    expect(() => detectColumnDriftOnProfiles(numbers, numbers, { columnType: 'numerical', stattest: 'chisquare' })).toThrow(
      /isn't applicable to feature of type num/,
    );
    expect(() => detectColumnDriftOnProfiles(numbers, numbers, { columnType: 'text' })).toThrow(DriftError);
    const a = profileColumns({ x: [1, 2, 3] });
    expect(() => detectDatasetDriftOnProfiles(a, profileColumns({ y: [1] }))).toThrow('There are no columns to compare.');
    expect(() => detectDatasetDriftOnProfiles(a, a, { columns: ['z'] })).toThrow("Cannot find column 'z' in current dataset");
    expect(() => detectDatasetDriftOnProfiles(a, a, { driftShare: 2 })).toThrow(/driftShare/);
  });
});
