import { sortedCopy } from './quantile.js';

export interface KsTestResult {
  /** D: the largest gap between the two empirical distribution functions, in [0, 1]. */
  readonly statistic: number;
  /** Two-sided asymptotic p-value: Q_KS(sqrt(ne) * D). */
  readonly pValue: number;
  /** ne = n * m / (n + m), the effective sample size the p-value uses. */
  readonly effectiveSize: number;
}

/**
 * Two-sample Kolmogorov–Smirnov test: were `a` and `b` drawn from the same distribution?
 *
 * The p-value is the limiting (asymptotic) one, Q_KS(sqrt(ne) * D) with ne = n·m/(n+m) and
 * Q_KS the Kolmogorov distribution's survival function (`kolmogorovSurvival`): it equals scipy's
 * `scipy.stats.kstwobign.sf(sqrt(ne) * D)`. scipy's `ks_2samp(a, b, method='asymp')` differs: it
 * evaluates the finite-size one-sample distribution `kstwo.sf(D, round(ne))`, whose p-values are
 * smaller, the more so for small samples and small p-values (ne = 11, D = 0.46: 0.018 here, 0.012
 * there; ne = 600 and p near 0.0007: about 6% apart). The limiting form is thus conservative: it
 * flags drift a little less readily. test-support/ks-reference.json holds both for a few samples.
 *
 * Both samples must be non-empty and hold finite numbers only.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsTestResult {
  if (a.length === 0 || b.length === 0) throw new RangeError('the Kolmogorov–Smirnov test needs two non-empty samples');
  const statistic = ksStatistic(sortedCopy(a), sortedCopy(b));
  const effectiveSize = (a.length * b.length) / (a.length + b.length);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(effectiveSize) * statistic), effectiveSize };
}

/** D over two ascending samples. Ties are stepped over together, as the ECDFs jump at once. */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  // Once one sample is used up its ECDF is 1 and the gap can only shrink, so stop there.
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * Q_KS(λ) = P(K > λ) for the Kolmogorov distribution K:
 *   Q_KS(λ) = 2 Σ_{j≥1} (-1)^(j-1) exp(-2 j² λ²).
 * That alternating series converges slowly for small λ, where the equivalent Jacobi theta form
 *   1 - Q_KS(λ) = (sqrt(2π) / λ) Σ_{j≥1} exp(-(2j-1)² π² / (8 λ²))
 * converges fast instead; each is used on its side of λ = 1.18 (as in Numerical Recipes, 3rd ed.).
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const factor = -(Math.PI ** 2) / (8 * lambda * lambda);
    let sum = 0;
    for (let j = 1; j <= 50; j++) {
      const term = Math.exp(factor * (2 * j - 1) ** 2);
      sum += term;
      if (term <= sum * 1e-16) break;
    }
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * sum);
  }
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += sign * term;
    if (term <= Math.abs(sum) * 1e-16) break;
    sign = -sign;
  }
  return clamp01(2 * sum);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
