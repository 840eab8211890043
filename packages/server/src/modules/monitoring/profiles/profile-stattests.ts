/**
 * The drift library's tests computed from profiles. Each one is the sample-based test applied to
 * the distribution the profiles hold (weighted-sample.ts, category-counts.ts): exact when both
 * sides are held exactly, else approximate with the error the README documents.
 *
 * - ks: the largest CDF gap over every retained value. p-value as ks_2samp(method='auto') takes it:
 *   up to 10,000 values per side the sketch's weighted sample is written out and handed to the drift
 *   library (exact lattice p-value), above that Smirnov's kstwo.sf(D, round(n1 n2 / (n1 + n2))).
 * - wasserstein, ed: the integral of |F_ref - F_cur| (squared for ed) between retained values;
 *   wasserstein divided by max(std(reference), 0.001) with the exact std from the moments.
 * - jensenshannon, psi, kl_div: Evidently's bins: Sturges edges over the exact min and max of both
 *   sides and the exact total count (the same edges as on the samples), each bin's share read from
 *   the CDF; per-value bins when the reference has at most 20 distinct values (counts then exact).
 * - psi_quantile: reference deciles from the weighted sample (np.quantile's linear rule).
 * - hellinger: as the drift library; its numerical Sturges bins use the distinct count of both
 *   sides (the HyperLogLog estimate once the sketches are not exact).
 * - t_test: from the exact count, mean and variance.
 * - chisquare, z: on category counts.
 *
 * Tests that need every value (anderson, cramer_von_mises, mannw, empirical_mmd, TVD, fisher_exact)
 * are refused.
 */
import { detectColumnDrift, DriftError, type StatTestName } from '../drift/index.js';
import {
  chi2Sf,
  fillZeroes,
  kstwoSf,
  ndtr,
  pairwiseSum,
  relEntr,
  roundHalfEven,
  studentTSf,
  sturgesEdges,
} from './drift-internals.js';
import type { ProfilePair } from './profile-pair.js';
import { cdfAt, linearQuantile, weightBelow, writeOut, type WeightedSample } from './weighted-sample.js';

export interface ProfileTestOutcome {
  readonly score: number;
  readonly statistic?: number;
  /** Both sides were held exactly for what this test reads. */
  readonly exact: boolean;
}

export type ProfileTest = (pair: ProfilePair) => ProfileTestOutcome;

/** ks_2samp switches from the exact to the asymptotic p-value above this many values per side. */
const MAX_EXACT_KS = 10000;
const QUANTIFIED_MIN_DISTINCT = 20;
const QUANTILE_BINS = 10;

function bothExact(a: WeightedSample, b: WeightedSample): boolean {
  return a.exact && b.exact;
}

/** sup |F_a - F_b| over every value either side holds. */
function ksStatistic(a: WeightedSample, b: WeightedSample): number {
  let i = 0;
  let j = 0;
  let worst = 0;
  while (i < a.values.length || j < b.values.length) {
    const value = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
    while (i < a.values.length && a.values[i] <= value) i++;
    while (j < b.values.length && b.values[j] <= value) j++;
    const fa = i === 0 ? 0 : a.cumulative[i - 1] / a.n;
    const fb = j === 0 ? 0 : b.cumulative[j - 1] / b.n;
    const gap = Math.abs(fa - fb);
    if (gap > worst) worst = gap;
  }
  return Math.min(worst, 1);
}

function ksTest(pair: ProfilePair): ProfileTestOutcome {
  const { reference, current } = pair.numbers();
  const exact = bothExact(reference, current);
  const n1 = reference.n;
  const n2 = current.n;
  if (Math.max(n1, n2) <= MAX_EXACT_KS) {
    const result = detectColumnDrift(Array.from(writeOut(reference)), Array.from(writeOut(current)), {
      column: pair.column,
      columnType: 'numerical',
      stattest: 'ks',
    });
    return { score: result.score, statistic: result.statistic, exact };
  }
  const d = ksStatistic(reference, current);
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const p = kstwoSf(d, roundHalfEven((m * n) / (m + n)));
  return { score: Math.min(Math.max(p, 0), 1), statistic: d, exact };
}

/**
 * Integral of |F_u - F_v|^p over x (p = 1), or its square root (p = 2). On exact samples both CDFs
 * are steps, constant between consecutive values, and this is scipy's _cdf_distance; a sketch's CDF
 * is its smoothed one, read at each segment's midpoint.
 */
function cdfDistance(p: 1 | 2, u: WeightedSample, v: WeightedSample): number {
  const points = [...new Set([...u.values, ...v.values, u.min, u.max, v.min, v.max])].sort((a, b) => a - b);
  const terms = new Float64Array(Math.max(points.length - 1, 0));
  for (let k = 0; k < terms.length; k++) {
    const delta = points[k + 1] - points[k];
    const at = u.knots || v.knots ? points[k] + delta / 2 : points[k];
    const diff = cdfAt(u, at) - cdfAt(v, at);
    terms[k] = p === 1 ? Math.abs(diff) * delta : diff * diff * delta;
  }
  const sum = pairwiseSum(terms);
  return p === 1 ? sum : Math.sqrt(sum);
}

function wassersteinTest(pair: ProfilePair): ProfileTestOutcome {
  const { reference, current } = pair.numbers();
  const norm = Math.max(pair.referenceStd(), 0.001);
  return { score: cdfDistance(1, reference, current) / norm, exact: bothExact(reference, current) };
}

function energyDistanceTest(pair: ProfilePair): ProfileTestOutcome {
  const { reference, current } = pair.numbers();
  return { score: Math.SQRT2 * cdfDistance(2, reference, current), exact: bothExact(reference, current) };
}

/**
 * Counts per bin, numpy's histogram rule on exact samples ([e_i, e_i+1), the last bin closed); a
 * sketch's from its smoothed CDF.
 */
function below(sample: WeightedSample, x: number, inclusive: boolean): number {
  return sample.knots ? cdfAt(sample, x) * sample.n : weightBelow(sample, x, inclusive);
}

function histogram(sample: WeightedSample, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let previous = below(sample, edges[0], false);
  for (let i = 0; i < bins; i++) {
    const next = i === bins - 1 ? below(sample, edges[bins], true) : below(sample, edges[i + 1], false);
    counts[i] = next - previous;
    previous = next;
  }
  return counts;
}

function divide(counts: Float64Array, total: number): Float64Array {
  return counts.map((c) => c / total);
}

/** Evidently's get_binned_data on profiles. */
function binnedShares(pair: ProfilePair, fillEmptyBins: boolean): { reference: Float64Array; current: Float64Array; exact: boolean } {
  let reference: Float64Array;
  let current: Float64Array;
  let exact: boolean;
  if (pair.columnType === 'numerical' && pair.referenceDistinctCount() > QUANTIFIED_MIN_DISTINCT) {
    const samples = pair.numbers();
    const { min, max } = pair.range();
    const edges = sturgesEdges(min, max, samples.reference.n + samples.current.n);
    reference = divide(histogram(samples.reference, edges), samples.reference.n);
    current = divide(histogram(samples.current, edges), samples.current.n);
    exact = bothExact(samples.reference, samples.current);
  } else {
    const counts = pair.categoryCounts();
    reference = divide(counts.reference, pair.referenceSize);
    current = divide(counts.current, pair.currentSize);
    exact = counts.exact;
  }
  if (fillEmptyBins) {
    fillZeroes(reference);
    fillZeroes(current);
  }
  return { reference, current, exact };
}

function normalised(shares: Float64Array): Float64Array {
  const total = pairwiseSum(shares);
  return shares.map((s) => s / total);
}

function jensenShannonTest(pair: ProfilePair): ProfileTestOutcome {
  const shares = binnedShares(pair, false);
  const p = normalised(shares.reference);
  const q = normalised(shares.current);
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2.0;
    left[i] = relEntr(p[i], m);
    right[i] = relEntr(q[i], m);
  }
  return { score: Math.sqrt((pairwiseSum(left) + pairwiseSum(right)) / 2.0), exact: shares.exact };
}

function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  const terms = new Float64Array(reference.length);
  for (let i = 0; i < terms.length; i++) terms[i] = (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return pairwiseSum(terms);
}

function psiTest(pair: ProfilePair): ProfileTestOutcome {
  const shares = binnedShares(pair, true);
  return { score: populationStabilityIndex(shares.reference, shares.current), exact: shares.exact };
}

function klDivTest(pair: ProfilePair): ProfileTestOutcome {
  const shares = binnedShares(pair, true);
  const pTotal = pairwiseSum(shares.reference);
  const qTotal = pairwiseSum(shares.current);
  const terms = new Float64Array(shares.reference.length);
  for (let i = 0; i < terms.length; i++) terms[i] = relEntr(shares.reference[i] / pTotal, shares.current[i] / qTotal);
  return { score: pairwiseSum(terms), exact: shares.exact };
}

function psiQuantileTest(pair: ProfilePair): ProfileTestOutcome {
  const { reference, current } = pair.numbers();
  const quantiles = new Float64Array(QUANTILE_BINS - 1);
  const step = 1 / QUANTILE_BINS;
  for (let i = 1; i < QUANTILE_BINS; i++) quantiles[i - 1] = linearQuantile(reference, i * step);
  quantiles.sort();
  const cuts = quantiles.filter((cut, i) => i === 0 || cut !== quantiles[i - 1]);
  const shares = (sample: WeightedSample): Float64Array => {
    const out = new Float64Array(cuts.length + 1);
    let previous = 0;
    for (let i = 0; i < cuts.length; i++) {
      const upto = below(sample, cuts[i], false);
      out[i] = (upto - previous) / sample.n;
      previous = upto;
    }
    out[cuts.length] = (sample.n - previous) / sample.n;
    fillZeroes(out);
    return out;
  };
  return { score: populationStabilityIndex(shares(reference), shares(current)), exact: bothExact(reference, current) };
}

function hellingerTest(pair: ProfilePair): ProfileTestOutcome {
  let coefficient = 0;
  let exact: boolean;
  if (pair.columnType === 'categorical') {
    const counts = pair.categoryCounts();
    const n1 = pair.referenceSize;
    const n2 = pair.currentSize;
    for (let i = 0; i < counts.keys.length; i++) coefficient += Math.sqrt((counts.reference[i] / n1) * (counts.current[i] / n2));
    exact = counts.exact;
  } else {
    const { reference, current } = pair.numbers();
    const { min, max } = pair.range();
    const distinct = pair.distinctCount();
    const edges = sturgesEdges(min, max, distinct.value);
    const densities = (sample: WeightedSample): Float64Array => {
      const counts = histogram(sample, edges);
      let total = 0;
      for (const c of counts) total += c;
      return counts.map((c, i) => c / (edges[i + 1] - edges[i]) / total);
    };
    const h1 = densities(reference);
    const h2 = densities(current);
    const width = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
    for (let i = 0; i < h1.length; i++) coefficient += Math.sqrt(h1[i] * h2[i]) * width;
    exact = bothExact(reference, current) && distinct.exact;
  }
  const clipped = Math.min(Math.max(coefficient, 0), 1);
  return { score: Math.sqrt(1 - clipped), exact };
}

function tTest(pair: ProfilePair): ProfileTestOutcome {
  const a = pair.meanAndVariance('reference');
  const b = pair.meanAndVariance('current');
  const df = a.n + b.n - 2.0;
  const svar = ((a.n - 1) * a.sampleVariance + (b.n - 1) * b.sampleVariance) / df;
  const denom = Math.sqrt(svar * (1.0 / a.n + 1.0 / b.n));
  const t = (a.mean - b.mean) / denom;
  return { statistic: t, score: studentTSf(Math.abs(t), df) * 2, exact: true };
}

function chiSquareTest(pair: ProfilePair): ProfileTestOutcome {
  const counts = pair.categoryCounts();
  const kNorm = pair.currentSize / pair.referenceSize;
  const terms = new Float64Array(counts.keys.length);
  for (let i = 0; i < terms.length; i++) {
    const expected = counts.reference[i] * kNorm;
    const d = counts.current[i] - expected;
    terms[i] = (d * d) / expected;
  }
  const statistic = pairwiseSum(terms);
  return { statistic, score: chi2Sf(statistic, terms.length - 1), exact: counts.exact };
}

function zTest(pair: ProfilePair): ProfileTestOutcome {
  const counts = pair.categoryCounts();
  let referenceDistinct = 0;
  let currentDistinct = 0;
  for (let i = 0; i < counts.keys.length; i++) {
    if (counts.reference[i] > 0) referenceDistinct++;
    if (counts.current[i] > 0) currentDistinct++;
  }
  if (referenceDistinct === 1 && currentDistinct === 1 && counts.keys.length === 1) return { score: 1, exact: counts.exact };
  const n1 = pair.referenceSize;
  const n2 = pair.currentSize;
  const p1 = (n1 - counts.reference[0]) / n1;
  const p2 = (n2 - counts.current[0]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return { statistic: z, score: 2 * (1 - ndtr(Math.abs(z))), exact: counts.exact };
}

const PROFILE_TESTS: Partial<Record<StatTestName, ProfileTest>> = {
  ks: ksTest,
  wasserstein: wassersteinTest,
  ed: energyDistanceTest,
  jensenshannon: jensenShannonTest,
  psi: psiTest,
  psi_quantile: psiQuantileTest,
  kl_div: klDivTest,
  hellinger: hellingerTest,
  t_test: tTest,
  chisquare: chiSquareTest,
  z: zTest,
};

/** Tests that can run on profiles. */
export const PROFILE_STAT_TESTS = Object.keys(PROFILE_TESTS) as StatTestName[];

export function profileTest(name: StatTestName): ProfileTest {
  const test = PROFILE_TESTS[name];
  if (!test) {
    throw new DriftError(
      `Stattest ${name} needs the raw samples and cannot run on profiles. Available on profiles: ${PROFILE_STAT_TESTS.join(', ')}`,
    );
  }
  return test;
}
