/**
 * Two-sample Kolmogorov-Smirnov, two-sided: scipy.stats.ks_2samp(ref, cur) with method='auto',
 * as Evidently calls it (drift when p <= threshold, default 0.05).
 *
 * 'auto' means: exact p-value when max(n1, n2) <= 10,000, Smirnov's asymptotic otherwise
 * (kstwo.sf(D, round(n1*n2/(n1+n2)))). The exact p-value is Hodges' lattice-path count: for
 * n1 == n2 the closed alternating series (_compute_prob_outside_square), else Viehmann's
 * numerically stable "inside" recursion (_compute_outer_prob_inside_method). If the exact value
 * comes out non-finite or outside [0, 1], scipy warns and falls back to the asymptotic one.
 */
import { kstwoSf } from '../numeric/kolmogorov.js';
import { gcd, roundHalfEven } from '../numeric/rounding.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

const MAX_AUTO_N = 10000;

/** P(D_{n,n} >= h/n) by the Horner-like form of the alternating binomial series. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** 1 - P(paths stay strictly inside |x/m - y/n| < h/lcm), computed directly (Viehmann 2021). */
function outerProbInside(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

/** ks_2samp's statistic: the largest gap between the two empirical CDFs, read at every value. */
function ksStatistic(data1: Float64Array, data2: Float64Array): number {
  const n1 = data1.length;
  const n2 = data2.length;
  let i = 0;
  let j = 0;
  let minDiff = Number.POSITIVE_INFINITY;
  let maxDiff = Number.NEGATIVE_INFINITY;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && data1[i] <= data2[j]) ? data1[i] : data2[j];
    while (i < n1 && data1[i] <= value) i++;
    while (j < n2 && data2[j] <= value) j++;
    const diff = i / n1 - j / n2;
    if (diff < minDiff) minDiff = diff;
    if (diff > maxDiff) maxDiff = diff;
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxDiff ? minS : maxDiff;
}

function ks2samp(data1: Float64Array, data2: Float64Array): StatTestOutcome {
  const n1 = data1.length;
  const n2 = data2.length;
  let d = ksStatistic(data1, data2);
  let warning: string | undefined;
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, score: 1 };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, score: prob };
    warning = 'ks_2samp: Exact calculation unsuccessful. Switching to method=asymp.';
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const prob = kstwoSf(d, roundHalfEven(en));
  return { statistic: d, score: Math.min(Math.max(prob, 0), 1), ...(warning ? { warning } : {}) };
}

export const ksTest: StatTestDefinition = {
  name: 'ks',
  displayName: 'K-S p_value',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.05,
  scoreKind: 'p_value',
  driftWhen: '<=',
  run: (pair: SamplePair) => {
    const { reference, current } = pair.sorted();
    return ks2samp(reference, current);
  },
};
