/**
 * Fisher's exact test on the 2x2 table [[cur: second category, cur: first], [ref: second, ref:
 * first]] (Evidently's _fisher_exact_stattest + generate_fisher2x2_contingency_table), two-sided
 * p-value as scipy.stats.fisher_exact computes it; drift when p < threshold (default 0.1).
 *
 * Like Evidently it needs equally long samples, each with at most two values. Unlike Evidently it
 * also refuses more than two categories across both samples (Evidently then maps the extra ones to
 * NaN in a way that depends on Python's set order). The two-sided p-value sums the table
 * probabilities that are no larger than the observed one, with scipy's 1e-14 relative slack and its
 * shortcut p = 1 when the observed table is the most likely one.
 */
import { DriftError } from '../errors.js';
import { gammaln } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

const EPSILON = 1e-14;
const GAMMA = 1 + EPSILON;

function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/**
 * Hypergeometric pmf P(X = x) for x successes in `draws` draws from `good` + `bad` items. When
 * good == bad the two outer terms swap between x and draws - x, and since addition commutes the
 * mirrored probabilities come out bit-identical, which the two-sided sum relies on.
 */
function hypergeomPmf(x: number, good: number, bad: number, draws: number): number {
  if (x < Math.max(0, draws - bad) || x > Math.min(good, draws)) return 0;
  return Math.exp(logChoose(good, x) + logChoose(bad, draws - x) - logChoose(good + bad, draws));
}

function fisherExact(table: readonly [readonly [number, number], readonly [number, number]]): StatTestOutcome {
  const [[c00, c01], [c10, c11]] = table;
  if (c00 + c10 === 0 || c01 + c11 === 0 || c00 + c01 === 0 || c10 + c11 === 0) {
    return { statistic: Number.NaN, score: 1 };
  }
  const oddsRatio = c10 > 0 && c01 > 0 ? (c00 * c11) / (c10 * c01) : Number.POSITIVE_INFINITY;
  const n1 = c00 + c01;
  const n2 = c10 + c11;
  const n = c00 + c10;
  const pmf = (x: number): number => hypergeomPmf(x, n1, n2, n);
  const mode = Math.trunc(((n + 1) * (n1 + 1)) / (n1 + n2 + 2));
  const pExact = pmf(c00);
  const pMode = pmf(mode);
  if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= EPSILON) return { statistic: oddsRatio, score: 1 };
  let p = 0;
  if (c00 < mode) {
    // The observed tail, plus the far tail's tables strictly less likely than the observed one.
    for (let x = 0; x <= c00; x++) p += pmf(x);
    for (let x = n; x > mode && pmf(x) < pExact * GAMMA; x--) p += pmf(x);
  } else {
    for (let x = c00; x <= n; x++) p += pmf(x);
    for (let x = 0; x < mode && pmf(x) <= pExact * GAMMA; x++) p += pmf(x);
  }
  return { statistic: oddsRatio, score: Math.min(p, 1) };
}

function fisherExactTest(pair: SamplePair): StatTestOutcome {
  const counts = pair.categoryCounts();
  const referenceDistinct = pair.referenceDistinctCount();
  const currentDistinct = counts.current.filter((c) => c > 0).length;
  if (referenceDistinct > 2 || currentDistinct > 2) {
    throw new DriftError('Expects binary data for both reference and current, but found unique categories > 2');
  }
  if (pair.reference.length !== pair.current.length) {
    throw new DriftError(
      'reference_data and current_data are not of equal length, please ensure that they are of equal length',
    );
  }
  if (counts.keys.length > 2) {
    throw new DriftError('fisher_exact needs at most two categories across reference and current');
  }
  // The second category in sorted order is coded 1; with a single category nothing is.
  const oneRef = counts.keys.length === 2 ? counts.reference[1] : 0;
  const oneCur = counts.keys.length === 2 ? counts.current[1] : 0;
  return fisherExact([
    [oneCur, pair.current.length - oneCur],
    [oneRef, pair.reference.length - oneRef],
  ]);
}

export const fisherExactStatTest: StatTestDefinition = {
  name: 'fisher_exact',
  displayName: "Fisher's Exact test",
  allowedTypes: ['categorical'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: fisherExactTest,
};
