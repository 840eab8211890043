/**
 * Distribution tails the tests need, with scipy's conventions at the edges (support limits,
 * invalid degrees of freedom give NaN). The incomplete gamma/beta and error functions come from
 * @stdlib (ports of Boost/FreeBSD with ~1e-15 relative accuracy); K_{1/4} is computed here.
 */
import betainc from '@stdlib/math-base-special-betainc';
import erf from '@stdlib/math-base-special-erf';
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';

export { gammaln };

const SQRT1_2 = Math.SQRT1_2;

/** Standard normal CDF with cephes' ndtr branches (erf near 0, erfc in the tails). */
export function ndtr(a: number): number {
  if (Number.isNaN(a)) return Number.NaN;
  const x = a * SQRT1_2;
  const z = Math.abs(x);
  if (z < SQRT1_2) return 0.5 + 0.5 * erf(x);
  const y = 0.5 * erfc(z);
  return x > 0 ? 1 - y : y;
}

/** scipy.stats.chi2.sf(x, df): the regularised upper incomplete gamma Q(df/2, x/2). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/**
 * scipy.stats.t.sf(t, df). Computed from whichever incomplete-beta argument is not close to 1, so
 * both tails keep full relative precision.
 */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const t2 = t * t;
  const half =
    t2 < df ? 0.5 * betainc(t2 / (df + t2), 0.5, df / 2, true, true) : 0.5 * betainc(df / (df + t2), df / 2, 0.5, true, false);
  return t >= 0 ? half : 1 - half;
}

/**
 * Modified Bessel function of the second kind K_nu(x), x > 0, for the small orders the Cramer-von
 * Mises limit distribution needs (scipy.special.kv). K_nu(x) = integral_0^inf exp(-x cosh t)
 * cosh(nu t) dt; the integrand is analytic in a strip around the real axis, so the trapezoidal rule
 * converges geometrically. The step shrinks with 1/sqrt(x) because the integrand narrows.
 */
export function besselK(nu: number, x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.POSITIVE_INFINITY;
  const scale = Math.exp(-x);
  if (scale === 0) return 0;
  const h = Math.min(0.05, 0.5 / Math.sqrt(x));
  // Sum exp(-x (cosh t - 1)) cosh(nu t) and multiply by exp(-x) at the end, so large x does not
  // underflow term by term. Stop once the terms are far below the largest one and falling.
  let sum = 0.5;
  let largest = 0;
  for (let k = 1; ; k++) {
    const t = k * h;
    const log = -x * (Math.cosh(t) - 1) + Math.log(Math.cosh(nu * t));
    if (log > largest) largest = log;
    else if (log < largest - 45) break;
    sum += Math.exp(log);
  }
  return sum * h * scale;
}
