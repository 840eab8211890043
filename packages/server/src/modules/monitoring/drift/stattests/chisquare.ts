/**
 * Pearson's chi-square goodness of fit of the current counts to the reference shares:
 * scipy.stats.chisquare(f_obs = current counts, f_exp = reference counts * n_cur / n_ref) over
 * every category seen on either side, df = categories - 1 (Evidently's _chi_stat_test; drift when
 * p < threshold, default 0.05).
 *
 * A category that only the current sample has expects 0, so its term is infinite and p = 0: new
 * categories always count as drift, as in Evidently. A single category gives df = 0 and p = NaN,
 * which is never drift.
 */
import { pairwiseSum } from '../numeric/pairwise-sum.js';
import { chi2Sf } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

function chiSquareTest(pair: SamplePair): StatTestOutcome {
  const counts = pair.categoryCounts();
  const kNorm = pair.current.length / pair.reference.length;
  const terms = new Float64Array(counts.keys.length);
  for (let i = 0; i < terms.length; i++) {
    const expected = counts.reference[i] * kNorm;
    const d = counts.current[i] - expected;
    terms[i] = (d * d) / expected;
  }
  const statistic = pairwiseSum(terms);
  return { statistic, score: chi2Sf(statistic, terms.length - 1) };
}

export const chiSquareStatTest: StatTestDefinition = {
  name: 'chisquare',
  displayName: 'chi-square p_value',
  allowedTypes: ['categorical'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: chiSquareTest,
};
