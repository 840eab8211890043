import { describe, expect, it } from 'vitest';
import { detectDatasetDrift, type DriftValue } from '../drift/index.js';
import { histogramCounts } from '../drift/numeric/histogram.js';
import { Mt19937 } from '../drift/numeric/mt19937.js';
import { buildDriftReport } from './build-report.js';
import { categoricalDistribution, driftDistributions, numericalDistribution, type CategoricalDistribution, type NumericalDistribution } from './distributions.js';

const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);

function uniform(seed: number, n: number, scale = 1, offset = 0): number[] {
  const rng = new Mt19937(seed);
  return Array.from({ length: n }, () => rng.nextDouble() * scale + offset);
}

function numerical(reference: readonly DriftValue[], current: readonly DriftValue[], maxBins?: number): NumericalDistribution {
  const d = numericalDistribution('x', reference, current, maxBins);
  if (d.kind !== 'numerical') throw new Error(`expected a histogram, got ${JSON.stringify(d)}`);
  return d;
}

function categorical(reference: readonly DriftValue[], current: readonly DriftValue[], top?: number): CategoricalDistribution {
  const d = categoricalDistribution('c', reference, current, top);
  if (d.kind !== 'categorical') throw new Error(`expected categories, got ${JSON.stringify(d)}`);
  return d;
}

describe('numerical distributions', () => {
  it('bins both sides on the same Sturges edges over the two samples, counting as numpy.histogram does', () => {
    const reference = uniform(1, 300, 10);
    const current = uniform(2, 200, 10, 4);
    const d = numerical(reference, current);
    // Sturges over 500 values: ceil(log2(500) + 1) = 10 bins from the smallest to the largest value.
    expect(d.edges.length).toBe(11);
    expect(d.edges[0]).toBe(Math.min(...reference, ...current));
    expect(d.edges[10]).toBe(Math.max(...reference, ...current));
    // Counts equal numpy's half-open rule, computed independently by the drift library's np.histogram port.
    const sorted = (xs: number[]) => Float64Array.from(xs).sort();
    expect(Array.from(d.reference.counts)).toEqual(Array.from(histogramCounts(sorted(reference), d.edges)));
    expect(Array.from(d.current.counts)).toEqual(Array.from(histogramCounts(sorted(current), d.edges)));
    expect(d.reference.total).toBe(300);
    expect(d.current.total).toBe(200);
    expect(sum(d.reference.shares)).toBeCloseTo(1, 12);
    expect(sum(d.current.shares)).toBeCloseTo(1, 12);
    // Current sits in [4, 14): the lowest bins hold reference values only.
    expect(d.current.counts[0]).toBe(0);
    expect(d.reference.counts[0]).toBeGreaterThan(0);
  });

  it('puts a value lying exactly on an inner edge in the bin that edge opens, and the maximum in the last bin', () => {
    // Edges 0, 1, 2, 3, 4 (Sturges gives 4 bins for 8 values): 1, 2 and 3 sit on edges.
    const d = numerical([0, 1, 2, 3], [4, 1, 2, 3]);
    expect(Array.from(d.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(d.reference.counts)).toEqual([1, 1, 1, 1]);
    expect(Array.from(d.current.counts)).toEqual([0, 1, 1, 2]);
  });

  it('caps the number of bins', () => {
    const d = numerical(uniform(3, 100_000), uniform(4, 100_000), 40);
    // Sturges: ceil(log2(200000) + 1) = 19 bins, under the cap of 40.
    expect(d.edges.length).toBe(20);
    expect(numerical(uniform(3, 100_000), uniform(4, 100_000), 8).edges.length).toBe(9);
  });

  it('drops null, NaN and ±Infinity and says how many cells it left out', () => {
    const d = numerical([1, null, Number.NaN, 2, Number.POSITIVE_INFINITY, 3], [Number.NEGATIVE_INFINITY, 2, 2, null]);
    expect(d.reference.total).toBe(3);
    expect(d.reference.dropped).toBe(3);
    expect(d.current.total).toBe(2);
    expect(d.current.dropped).toBe(2);
    // The edges come from finite values only.
    expect(d.edges[0]).toBe(1);
    expect(d.edges[d.edges.length - 1]).toBe(3);
    expect(sum(d.reference.shares)).toBeCloseTo(1, 12);
    expect(sum(d.current.shares)).toBeCloseTo(1, 12);
  });

  it('gives a constant column one bin of width 1 around its value', () => {
    const d = numerical([7, 7, 7], [7, 7]);
    expect(Array.from(d.edges)).toEqual([6.5, 7.5]);
    expect(Array.from(d.reference.shares)).toEqual([1]);
    expect(Array.from(d.current.shares)).toEqual([1]);
  });

  it('reads a column of booleans as 0 and 1, as the tests do', () => {
    const d = numerical([true, false, true, true], [false, false]);
    expect(d.edges[0]).toBe(0);
    expect(d.edges[d.edges.length - 1]).toBe(1);
    expect(d.reference.counts[0]).toBe(1);
    expect(d.reference.counts[d.reference.counts.length - 1]).toBe(3);
  });

  it('skips a column with no value on a side, with the reason, instead of failing', () => {
    expect(numericalDistribution('x', [null, Number.NaN], [1, 2])).toEqual({
      kind: 'skipped',
      reason: "Column 'x' has no values in the reference dataset once null, NaN and ±Infinity are dropped.",
    });
    expect(numericalDistribution('x', [1], [])).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('current dataset') });
  });

  it('keeps a finite histogram for values near the largest doubles', () => {
    const d = numerical([-1.7e308, 0], [1.7e308]);
    expect(d.edges.every(Number.isFinite)).toBe(true);
    expect(d.reference.total + d.current.total).toBe(3);
    expect(d.current.counts[d.current.counts.length - 1]).toBe(1);
  });
});

describe('categorical distributions', () => {
  it('shares of every category on both sides, most frequent over both sides first, categories only one side has included', () => {
    const d = categorical(['a', 'a', 'a', 'b', null], ['b', 'b', 'c', 'c', 'c', 'c']);
    // a: 3/4 + 0, c: 0 + 4/6, b: 1/4 + 2/6.
    expect(d.categories).toEqual(['a', 'c', 'b']);
    expect(d.otherCategories).toBe(0);
    expect(Array.from(d.reference.counts)).toEqual([3, 0, 1]);
    expect(Array.from(d.current.counts)).toEqual([0, 4, 2]);
    expect(d.reference.dropped).toBe(1);
    expect(sum(d.reference.shares)).toBeCloseTo(1, 12);
    expect(sum(d.current.shares)).toBeCloseTo(1, 12);
  });

  it('folds the categories beyond the top N into one "other" bucket', () => {
    // 30 categories; category k appears 30 - k times on each side.
    const column = Array.from({ length: 30 }, (_, k) => Array.from({ length: 30 - k }, () => `k${k}`)).flat();
    const d = categorical(column, column, 5);
    expect(d.categories).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(d.otherCategories).toBe(25);
    expect(d.reference.counts.length).toBe(6);
    const other = Array.from({ length: 25 }, (_, i) => 30 - (i + 5)).reduce((a, b) => a + b, 0);
    expect(d.reference.counts[5]).toBe(other);
    expect(sum(d.reference.shares)).toBeCloseTo(1, 12);
    // A single extra category is drawn rather than folded alone into "other".
    expect(categorical(['a', 'b', 'c'], ['a'], 2)).toMatchObject({ categories: ['a', 'b', 'c'], otherCategories: 0 });
  });

  it('keeps 1, "1" and true apart and drops NaN and ±Infinity', () => {
    const d = categorical([1, '1', true, Number.NaN, Number.POSITIVE_INFINITY], [1]);
    expect(d.categories).toEqual([1, true, '1']);
    expect(d.reference.total).toBe(3);
    expect(d.reference.dropped).toBe(2);
  });

  it('skips an all-null side with the reason', () => {
    expect(categoricalDistribution('plan', ['a'], [null, null])).toEqual({
      kind: 'skipped',
      reason: "Column 'plan' has no values in the current dataset once null, NaN and ±Infinity are dropped.",
    });
  });
});

describe('distributions of a drift result', () => {
  it('draws each tested column by the type the drift library gave it', () => {
    const reference = { x: uniform(5, 50), plan: Array.from({ length: 50 }, (_, i) => (i % 3 ? 'free' : 'pro')) };
    const current = { x: uniform(6, 50, 1, 0.5), plan: Array.from({ length: 50 }, () => 'free') };
    const result = detectDatasetDrift(reference, current);
    const distributions = driftDistributions(reference, current, result);
    expect(distributions.get('x')?.kind).toBe('numerical');
    expect(distributions.get('plan')).toMatchObject({ kind: 'categorical', categories: ['free', 'pro'] });
  });

  it('reports a column that is empty on one side as skipped, with the reason, and tests the rest', () => {
    const report = buildDriftReport(
      { x: [1, 2, 3, 4, 5, 6], empty: [null, null, null, null, null, null], gone: [1, 2, 3, 4, 5, 6] },
      { x: [2, 3, 4, 5, 6], empty: [null, null, null], gone: [Number.NaN, null, null] },
      { generatedAt: new Date(0) },
    );
    expect(report.columns.map((c) => c.name)).toEqual(['x']);
    expect(report.skipped).toEqual([
      { name: 'empty', reason: "An empty column 'empty' was provided for drift calculation in the reference dataset." },
      { name: 'gone', reason: "An empty column 'gone' was provided for drift calculation in the current dataset." },
    ]);
    expect(report.result.numberOfColumns).toBe(1);
    expect(report.referenceRows).toBe(6);
    expect(report.currentRows).toBe(5);
  });

  it('refuses a report with nothing to test, in words', () => {
    expect(() => buildDriftReport({ x: [null] }, { x: [1] }, { generatedAt: new Date(0) })).toThrow(/no columns to compare: every column is empty on one side \(x\)/);
    expect(() => buildDriftReport({}, { x: [1] }, { generatedAt: new Date(0) })).toThrow('There are no columns to compare.');
    expect(() => buildDriftReport({ x: [1] }, { x: [1] }, { generatedAt: new Date(0), columns: ['y'] })).toThrow("Cannot find column 'y' in current dataset");
  });
});

describe('a million rows', () => {
  it('bins two numerical columns of 1,000,000 values each, and counts 1,000,000 categories, quickly', () => {
    const reference = uniform(7, 1_000_000);
    const current = uniform(8, 1_000_000, 1, 0.1);
    let started = performance.now();
    const d = numerical(reference, current);
    const numericalMs = performance.now() - started;
    expect(d.reference.total).toBe(1_000_000);
    expect(d.current.total).toBe(1_000_000);
    expect(d.edges.length - 1).toBe(Math.ceil(Math.log2(2_000_000) + 1));

    const plans = ['free', 'pro', 'team', 'enterprise'];
    const refPlans = reference.map((x) => plans[Math.floor(x * 4)]!);
    const curPlans = current.map((x) => plans[Math.min(3, Math.floor(x * 4))]!);
    started = performance.now();
    const c = categorical(refPlans, curPlans);
    const categoricalMs = performance.now() - started;
    expect(c.reference.total).toBe(1_000_000);
    expect(c.categories).toHaveLength(4);
    // Linear passes take tens of milliseconds; the bound leaves room for a busy two-core machine.
    expect(numericalMs).toBeLessThan(1500);
    expect(categoricalMs).toBeLessThan(1500);
  });
});
