/**
 * Student's two-sample t-test with pooled variance: scipy.stats.ttest_ind(ref, cur) (equal_var),
 * two-sided p = 2 * t.sf(|t|, n1 + n2 - 2); drift when p < threshold (default 0.05).
 * Degenerate inputs give what scipy gives: two equal constants -> t = NaN, p = NaN (no drift); two
 * different constants -> |t| = inf, p = 0; one value on each side -> df = 0, p = NaN.
 */
import { mean, squaredDeviationSum } from '../numeric/pairwise-sum.js';
import { studentTSf } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

/** scipy's _var(x, ddof=1): mean of squared deviations, times n / (n - 1). */
function sampleVariance(values: Float64Array, centre: number): number {
  const n = values.length;
  return (squaredDeviationSum(values, centre) / n) * (n / (n - 1));
}

function tTestInd(a: Float64Array, b: Float64Array): StatTestOutcome {
  const n1 = a.length;
  const n2 = b.length;
  const m1 = mean(a);
  const m2 = mean(b);
  const v1 = sampleVariance(a, m1);
  const v2 = sampleVariance(b, m2);
  const df = n1 + n2 - 2.0;
  const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
  const denom = Math.sqrt(svar * (1.0 / n1 + 1.0 / n2));
  const t = (m1 - m2) / denom;
  return { statistic: t, score: studentTSf(Math.abs(t), df) * 2 };
}

export const tTestStatTest: StatTestDefinition = {
  name: 't_test',
  displayName: 't_test',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: (pair: SamplePair) => {
    const { reference, current } = pair.numbers();
    return tTestInd(reference, current);
  },
};
