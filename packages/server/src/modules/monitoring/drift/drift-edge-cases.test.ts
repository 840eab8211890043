/** Edge cases and bad input of the drift library, beyond what the scipy fixtures cover. */
import { describe, expect, it } from 'vitest';
import { Mt19937 } from './numeric/mt19937.js';
import { MMD_MAX_VALUES } from './stattests/mmd.js';
import {
  DriftError,
  detectColumnDrift,
  detectDatasetDrift,
  inferColumnType,
  type DriftValue,
  type StatTestName,
} from './index.js';

const numbers = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const same = numbers(12, (i) => i * 1.5);

describe('drift decisions compare the score the way Evidently does', () => {
  // Identical samples give exact scores (p = 1, distance = 0), so the threshold can sit on the score.
  const cases: [StatTestName, number, boolean][] = [
    ['ks', 1, true], // p <= threshold
    ['cramer_von_mises', 1, true], // p <= threshold
    ['t_test', 1, false], // p < threshold
    ['anderson', 0.25, false],
    ['wasserstein', 0, true], // distance >= threshold
    ['jensenshannon', 0, true],
    ['psi', 0, true],
    ['psi_quantile', 0, true],
    ['kl_div', 0, true],
    ['hellinger', 0, true],
    ['ed', 0, false], // distance > threshold
  ];
  it.each(cases)('%s with the threshold equal to the score', (stattest, threshold, drifted) => {
    const result = detectColumnDrift(same, same, { stattest, threshold, columnType: 'numerical' });
    expect(result.score).toBe(threshold);
    expect(result.drifted).toBe(drifted);
  });

  it('mannw and empirical_mmd drift only below the threshold', () => {
    const current = same.map((v) => v + 2);
    for (const stattest of ['mannw', 'empirical_mmd'] as const) {
      const { score } = detectColumnDrift(same, current, { stattest });
      expect(detectColumnDrift(same, current, { stattest, threshold: score }).drifted).toBe(false);
      expect(detectColumnDrift(same, current, { stattest, threshold: score + 1e-9 }).drifted).toBe(true);
    }
  });

  it.each([
    ['chisquare', false],
    ['z', false],
    ['TVD', false],
    ['fisher_exact', false],
  ] as [StatTestName, boolean][])('%s (categorical) with p = 1 and threshold 1', (stattest, drifted) => {
    const column = ['a', 'b', 'a', 'b'];
    const result = detectColumnDrift(column, column, { stattest, threshold: 1, columnType: 'categorical' });
    expect(result.pValue).toBe(1);
    expect(result.drifted).toBe(drifted);
  });

  it('uses the default thresholds 0.05 for p-values and 0.1 for distances', () => {
    expect(detectColumnDrift(same, same, { stattest: 'ks' }).threshold).toBe(0.05);
    expect(detectColumnDrift(same, same, { stattest: 'wasserstein' }).threshold).toBe(0.1);
    expect(detectColumnDrift(same, same, { stattest: 'anderson' }).threshold).toBe(0.1);
  });
});

describe('missing values, constants, tiny and new categories', () => {
  it('drops null, NaN and infinities before testing and reports the sizes compared', () => {
    const reference: DriftValue[] = [1, null, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, Number.NEGATIVE_INFINITY];
    const result = detectColumnDrift(reference, [1, 2, 3], { stattest: 'ks', columnType: 'numerical' });
    expect(result.referenceSize).toBe(3);
    expect(result.currentSize).toBe(3);
    expect(result.pValue).toBe(1);
  });

  it('refuses a side that is empty after cleaning, with Evidently message', () => {
    expect(() => detectColumnDrift([null, Number.NaN], [1], { column: 'age' })).toThrow(
      new DriftError("An empty column 'age' was provided for drift calculation in the reference dataset."),
    );
    expect(() => detectColumnDrift([1], [], { column: 'age' })).toThrow(/empty column 'age'.*current dataset/);
  });

  it('handles constant columns the way scipy does', () => {
    const constant = [4, 4, 4, 4, 4, 4];
    const numerical = { columnType: 'numerical' } as const;
    expect(detectColumnDrift(constant, constant, { ...numerical, stattest: 't_test' }).pValue).toBeNaN();
    expect(detectColumnDrift(constant, constant, { ...numerical, stattest: 't_test' }).drifted).toBe(false);
    expect(detectColumnDrift(constant, [5, 5, 5], { ...numerical, stattest: 't_test' }).pValue).toBe(0);
    expect(detectColumnDrift(constant, [4.5, 5], { stattest: 'wasserstein' }).distance).toBeCloseTo(0.75 / 0.001, 9);
    expect(() => detectColumnDrift(constant, constant, { ...numerical, stattest: 'anderson' })).toThrow(/more than one distinct/);
    expect(detectColumnDrift(['x', 'x'], ['x'], { columnType: 'categorical' })).toMatchObject({ stattest: 'z', pValue: 1 });
  });

  it('runs on one value per side', () => {
    const numerical = { columnType: 'numerical' } as const;
    expect(detectColumnDrift([1], [2], { ...numerical, stattest: 'ks' })).toMatchObject({ statistic: 1, pValue: 1 });
    expect(() => detectColumnDrift([1], [2, 3], { ...numerical, stattest: 'cramer_von_mises' })).toThrow(/at least two observations/);
    expect(() => detectColumnDrift([1], [2, 3], { ...numerical, stattest: 'empirical_mmd' })).toThrow(DriftError);
  });

  it('treats a category only the current sample has as drift', () => {
    const reference = ['a', 'b', 'a', 'b', 'a'];
    const current = ['a', 'b', 'c', 'a', 'b'];
    expect(detectColumnDrift(reference, current, { stattest: 'chisquare' })).toMatchObject({ pValue: 0, drifted: true });
    const psi = detectColumnDrift(reference, current, { stattest: 'psi' });
    expect(Number.isFinite(psi.distance)).toBe(true);
    expect(psi.drifted).toBe(true);
  });

  it('reports the Anderson-Darling capping as a warning', () => {
    const result = detectColumnDrift([1, 2, 3, 4, 5, 6], [1.5, 2.5, 3.5, 4.5, 5.5], { stattest: 'anderson' });
    expect(result).toMatchObject({ pValue: 0.25, warning: 'p-value capped: true value larger than 0.25' });
  });
});

describe('bad input', () => {
  it('refuses unknown tests and tests that do not fit the column type', () => {
    expect(() => detectColumnDrift(same, same, { stattest: 'nope' as StatTestName })).toThrow(/No stattest found of name nope/);
    expect(() => detectColumnDrift(['a'], ['b'], { stattest: 'ks' })).toThrow(
      "Stattest ks isn't applicable to feature of type cat. Available feature types: num",
    );
  });

  it('refuses non-numbers in a numerical column, and cells that are not JSON scalars', () => {
    expect(() => detectColumnDrift(['1', '2'], [1], { columnType: 'numerical' })).toThrow(
      "Column 'column' in reference dataset should contain numerical values only.",
    );
    expect(() => detectColumnDrift([true, null], [1], { columnType: 'numerical' })).toThrow(/numerical values only/);
    const bad = [1, undefined] as unknown as DriftValue[];
    expect(() => detectColumnDrift(bad, [1])).toThrow(/not a number, string, boolean or null/);
    expect(() => detectColumnDrift('abc' as unknown as DriftValue[], [1])).toThrow(/not an array/);
  });

  it('accepts a boolean column as numerical only when no cell is missing', () => {
    const result = detectColumnDrift([true, false, true], [false, false], { columnType: 'numerical', stattest: 'ks' });
    expect(result.statistic).toBeCloseTo(2 / 3, 12);
  });

  it('refuses text columns, non-finite thresholds and impossible drift shares', () => {
    expect(() => detectColumnDrift(['a b'], ['c d'], { columnType: 'text' })).toThrow(/text drift is not supported/);
    expect(() => detectColumnDrift(same, same, { threshold: Number.NaN })).toThrow(/finite number/);
    expect(() => detectDatasetDrift({ a: same }, { a: same }, { driftShare: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('applies fisher_exact only to equally long binary samples', () => {
    expect(() => detectColumnDrift(['a', 'b'], ['a', 'b', 'a'], { stattest: 'fisher_exact' })).toThrow(/equal length/);
    expect(() => detectColumnDrift(['a', 'b', 'c'], ['a', 'b', 'a'], { stattest: 'fisher_exact' })).toThrow(/categories > 2/);
    expect(() => detectColumnDrift(['a', 'b'], ['c', 'c'], { stattest: 'fisher_exact' })).toThrow(/at most two categories/);
  });

  it('bounds the memory of empirical_mmd', () => {
    const big = numbers(MMD_MAX_VALUES, (i) => i);
    expect(() => detectColumnDrift(big, [1, 2], { stattest: 'empirical_mmd' })).toThrow(/at most 5000 values/);
  });
});

describe('column types and default tests', () => {
  it('follows Evidently: integers with <= 5 values and booleans and strings are categorical', () => {
    expect(inferColumnType([1, 2, 3, 4, 5], [5])).toBe('categorical');
    expect(inferColumnType([1, 2, 3, 4, 5, 6], [1])).toBe('numerical');
    expect(inferColumnType([1, 2, null], [1, null])).toBe('numerical');
    // The current side's dtype decides between two number dtypes: [1] is an integer column.
    expect(inferColumnType([1, 2, null], [1])).toBe('categorical');
    expect(inferColumnType([0.5, 1], [2.5])).toBe('numerical');
    expect(inferColumnType([true, false], [true])).toBe('categorical');
    expect(inferColumnType(['a', 'b'], ['c'])).toBe('categorical');
    expect(inferColumnType([1, 'b'], [2])).toBe('categorical');
    // JavaScript has no 1.0: whole-number floats read as integers.
    expect(inferColumnType([1.0, 2.0], [3.0])).toBe('categorical');
  });

  it('switches tests at 1000 reference values and 5 distinct values', () => {
    const many = numbers(1000, (i) => i / 7);
    expect(detectColumnDrift(many, many).stattest).toBe('ks');
    expect(detectColumnDrift([...many, 0.5], many).stattest).toBe('wasserstein');
    const few = numbers(1001, (i) => (i % 5) + 0.5);
    expect(detectColumnDrift(few, few).stattest).toBe('jensenshannon');
    expect(detectColumnDrift(few.slice(0, 1000), few).stattest).toBe('chisquare');
    expect(detectColumnDrift(['a', 'b'], ['a']).stattest).toBe('z');
  });
});

describe('dataset drift', () => {
  const reference = { a: same, b: ['x', 'y', 'x', 'y'], c: same };
  const current = { a: same.map((v) => v + 10), b: ['x', 'y', 'x', 'y'], c: same, onlyCurrent: [1] };

  it('compares the columns both sides have and applies driftShare inclusively', () => {
    const result = detectDatasetDrift(reference, current, { driftShare: 1 / 3 });
    expect(result.columns.map((c) => c.column)).toEqual(['a', 'b', 'c']);
    expect(result).toMatchObject({ numberOfColumns: 3, numberOfDriftedColumns: 1, datasetDrift: true });
    expect(detectDatasetDrift(reference, current).datasetDrift).toBe(false);
  });

  it('resolves tests and thresholds per column, then per type, then globally', () => {
    const result = detectDatasetDrift(reference, current, {
      stattest: 'psi',
      numericalStattest: 'wasserstein',
      perColumnStattest: { c: 'ks' },
      threshold: 0.3,
      categoricalThreshold: 0.2,
      perColumnThreshold: { a: 0.01 },
    });
    expect(result.columns.map((c) => [c.column, c.stattest, c.threshold])).toEqual([
      ['a', 'wasserstein', 0.01],
      ['b', 'psi', 0.2],
      ['c', 'ks', 0.3],
    ]);
  });

  it('refuses columns that are missing on one side, and an empty selection', () => {
    expect(() => detectDatasetDrift(reference, current, { columns: ['onlyCurrent'] })).toThrow(
      "Cannot find column 'onlyCurrent' in reference dataset",
    );
    expect(() => detectDatasetDrift({ x: [1] }, { y: [1] })).toThrow(/no columns to compare/);
  });
});

describe('randomness and speed', () => {
  it("reproduces numpy's legacy generator", () => {
    // np.random.seed(0); np.random.random_sample() and np.random.seed(42); np.random.permutation(10)
    expect(new Mt19937(0).nextDouble()).toBe(0.5488135039273248);
    expect(Array.from(new Mt19937(42).permutation(10))).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
  });

  it('makes empirical_mmd reproducible through its seed', () => {
    const reference = numbers(30, (i) => Math.sin(i) * 3);
    const current = numbers(25, (i) => Math.cos(i * 1.3) * 3 + 0.4);
    const run = (seed?: number): number | undefined =>
      detectColumnDrift(reference, current, { stattest: 'empirical_mmd', seed }).pValue;
    expect(run()).toBe(run(0));
    expect(run(7)).toBe(run(7));
  });

  it('runs KS on 100k vs 100k values well under a second', () => {
    const rng = new Mt19937(1);
    const reference = numbers(100_000, () => rng.nextDouble());
    const current = numbers(100_000, () => rng.nextDouble() + 0.001);
    const started = performance.now();
    const result = detectColumnDrift(reference, current, { stattest: 'ks' });
    const elapsed = performance.now() - started;
    expect(result.pValue).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(1000);
  });
});
