/**
 * Two-sample Cramer-von Mises: scipy.stats.cramervonmises_2samp(ref, cur, method='auto'); drift when
 * p <= threshold (default 0.1).
 *
 * 'auto' is exact when both samples have at most 20 values (the distribution of U by Xiao, Gordon &
 * Yakovlev's lattice recursion, in exact integer counts), asymptotic otherwise (Anderson's
 * normalisation of T compared with the limiting one-sample distribution, a series in Bessel K_1/4).
 * Evidently ships a copy of this scipy function; see README.md for the one way its copy differs.
 */
import { DriftError } from '../errors.js';
import { floorDivide, gcd } from '../numeric/rounding.js';
import { averageRanks } from '../numeric/sorted.js';
import { besselK, gammaln } from '../numeric/special.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

// Python's np.pi ** 1.5 (JavaScript's Math.pow rounds it one ulp lower).
const PI_POW_1_5 = 5.568327996831708;

/** C(n, k); every intermediate is itself a binomial coefficient, so the float steps are exact. */
function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** P(U >= s) under the null, counting lattice paths by their accumulated squared deviations. */
function exactPValue(s: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDivide(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  // gs[v]: for the lattice point (u, v), how many paths reach it with each accumulated value.
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 1; v <= m; v++) gs.push(new Map());
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      const merged = new Map(tmp);
      for (const [value, freq] of gs[v]) merged.set(value, (merged.get(value) ?? 0) + freq);
      const step = (a * v - b * u) ** 2;
      tmp = new Map();
      for (const [value, freq] of merged) tmp.set(value + step, freq);
      next.push(tmp);
    }
    gs = next;
  }
  let tail = 0;
  for (const [value, freq] of gs[m]) if (value >= zeta) tail += freq;
  return tail / binomial(m + n, m);
}

/** CDF of the limiting Cramer-von Mises statistic (Csorgo & Faraway 1996, eq. 1.2). */
function cdfCvmInf(x: number): number {
  let total = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(gammaln(k + 0.5) - gammaln(k + 1)) / (PI_POW_1_5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = y ** 2 / (16 * x);
    const term = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += term;
    if (!(Math.abs(term) >= 1e-7)) return total;
  }
}

function cramerVonMises2samp(reference: Float64Array, current: Float64Array): StatTestOutcome {
  const nx = reference.length;
  const ny = current.length;
  if (nx <= 1 || ny <= 1) throw new DriftError('x and y must contain at least two observations.');
  const exact = Math.max(nx, ny) <= 20;
  const { ranks } = averageRanks(concatenate(reference, current));
  let sx = 0;
  for (let i = 0; i < nx; i++) sx += (ranks[i] - (i + 1)) ** 2;
  let sy = 0;
  for (let i = 0; i < ny; i++) sy += (ranks[nx + i] - (i + 1)) ** 2;
  const u = nx * sx + ny * sy;
  const k = nx * ny;
  const bigN = nx + ny;
  const t = u / (k * bigN) - (4 * k - 1) / (6 * bigN);
  if (exact) return { statistic: t, score: exactPValue(u, nx, ny) };
  const et = (1 + 1 / bigN) / 6;
  const vt = ((bigN + 1) * (4 * k * bigN - 3 * (nx ** 2 + ny ** 2) - 2 * k)) / (45 * bigN ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // Below 0.003 the limiting CDF is < 1.3e-18, so scipy returns 1 directly.
  const p = tn < 0.003 ? 1 : Math.max(0, 1 - cdfCvmInf(tn));
  return { statistic: t, score: p };
}

/** The sorted samples one after the other, as scipy concatenates them before ranking. */
function concatenate(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

export const cramerVonMisesStatTest: StatTestDefinition = {
  name: 'cramer_von_mises',
  displayName: 'Cramer-von Mises',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  driftWhen: '<=',
  run: (pair: SamplePair) => {
    const { reference, current } = pair.sorted();
    return cramerVonMises2samp(reference, current);
  },
};

