/**
 * Mann-Whitney U as Evidently 0.4+ calls it: scipy.stats.mannwhitneyu(x=ref, y=cur,
 * alternative='less') - a one-sided test (Evidently 0.1-0.2 used the two-sided default); drift when
 * p < threshold (default 0.05). The statistic reported is U1, the reference sample's U.
 *
 * method='auto': exact when the smaller sample has at most 8 values and there are no ties,
 * otherwise the normal approximation with tie correction and continuity correction.
 */
import { averageRanks } from '../numeric/sorted.js';
import { ndtr } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

/**
 * P(U <= k) under the null for sample sizes m (small) and n: the coefficients of the Gaussian
 * binomial [m+n choose m]_q count the arrangements with U = j. Built as prod (1 - q^(n+i)) /
 * (1 - q^i), truncated at degree k, after using the symmetry c_j = c_{mn-j} to keep k <= mn/2.
 */
function exactCdf(k: number, m: number, n: number): number {
  const total = m * n;
  const upper = k > total / 2;
  const degree = upper ? total - k - 1 : k;
  if (degree < 0) return 1;
  const c = new Float64Array(degree + 1);
  c[0] = 1;
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  for (let i = 1; i <= small; i++) {
    for (let j = degree; j >= large + i; j--) c[j] -= c[j - large - i];
    for (let j = i; j <= degree; j++) c[j] += c[j - i];
  }
  let count = 0;
  for (let j = 0; j <= degree; j++) count += c[j];
  let arrangements = 1;
  for (let i = 1; i <= small; i++) arrangements = (arrangements * (large + i)) / i;
  const p = count / arrangements;
  return upper ? 1 - p : p;
}

function mannWhitneyLess(x: Float64Array, y: Float64Array): StatTestOutcome {
  const n1 = x.length;
  const n2 = y.length;
  const combined = new Float64Array(n1 + n2);
  combined.set(x);
  combined.set(y, n1);
  const { ranks, tieGroups } = averageRanks(combined);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  // 'less' uses the survival function of U2 = n1*n2 - U1.
  const u2 = n1 * n2 - u1;
  const hasTies = tieGroups.length < n1 + n2;
  let p: number;
  if (!(n1 > 8 && n2 > 8) && !hasTies) {
    p = exactCdf(n1 * n2 - u2, n1, n2);
  } else {
    const n = n1 + n2;
    let tieTerm = 0;
    for (const t of tieGroups) tieTerm += t ** 3 - t;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u2 - (n1 * n2) / 2 - 0.5) / s;
    p = ndtr(-z);
  }
  return { statistic: u1, score: Math.min(Math.max(p, 0), 1) };
}

export const mannWhitneyStatTest: StatTestDefinition = {
  name: 'mannw',
  displayName: 'Mann-Whitney U-rank test',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: (pair: SamplePair) => {
    const { reference, current } = pair.numbers();
    return mannWhitneyLess(reference, current);
  },
};
