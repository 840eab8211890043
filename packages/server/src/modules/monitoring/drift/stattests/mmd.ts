/**
 * Empirical maximum mean discrepancy with a permutation p-value (Evidently's mmd_stattest.py):
 * RBF kernel over all n = n_ref + n_cur values, bandwidth sigma = sqrt(0.5 * median squared
 * distance within the reference) (median by np.percentile(method='nearest'); sqrt(0.5) if that is
 * 0), zero diagonal, unbiased MMD^2 = A*sum(Kxx) + B*sum(Kyy) - 2*mean(Kxy) with A = 1/(nx(nx-1)),
 * B = 1/(ny(ny-1)). p = share of 100 random relabellings whose MMD^2 is >= the observed one; drift
 * when p < threshold (default 0.1).
 *
 * Randomness: Evidently draws the 100 permutations from numpy's global generator without seeding
 * it, so its p-value changes from run to run. We draw them from the same generator (MT19937 with
 * np.random.seed(seed), default seed 0), so our p-value is the one Evidently returns right after
 * np.random.seed(seed). Statistics within 1e-12 of the observed one count as equal (>=): numpy's
 * and our sums round differently, and relabellings that keep the same multiset of values give
 * mathematically equal statistics.
 *
 * Cost is O(n^2) memory and O(100 n^2) time, like Evidently's; n above 5000 is refused.
 */
import { DriftError } from '../errors.js';
import { Mt19937 } from '../numeric/mt19937.js';
import { roundHalfEven } from '../numeric/rounding.js';
import type { SamplePair } from '../samples.js';
import type { StatTestContext, StatTestDefinition, StatTestOutcome } from './definition.js';

const PERMUTATIONS = 100;
const TIE_TOLERANCE = 1e-12;
export const MMD_MAX_VALUES = 5000;

/** k-th smallest value (0-based) of an array that may be reordered. */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** numpy's (y^2 - 2xy) + x^2, the squared distance as Evidently's squared_paired_dist rounds it. */
function squaredDistance(x: number, y: number): number {
  return y * y - 2 * (x * y) + x * x;
}

/** Kernel matrix laid out as Evidently concatenates it: [[Kxx, Kxy], [Kxy^T, Kyy]], zero diagonal. */
function kernelMatrix(x: Float64Array, y: Float64Array): Float64Array {
  const nx = x.length;
  const n = nx + y.length;
  const referenceDistances = new Float64Array(nx * nx);
  for (let i = 0; i < nx; i++) for (let j = 0; j < nx; j++) referenceDistances[i * nx + j] = squaredDistance(x[i], x[j]);
  const median = select(referenceDistances.slice(), roundHalfEven((referenceDistances.length - 1) * 0.5));
  let sigma = Math.sqrt(0.5 * median);
  if (sigma === 0) sigma = Math.sqrt(0.5);
  const gamma = 1.0 / (2.0 * sigma ** 2);
  const all = new Float64Array(n);
  all.set(x);
  all.set(y, nx);
  const kernel = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      // Rows/columns of the current block are built from the (x, y) pair in Evidently's order.
      const d = i < nx || j >= nx ? squaredDistance(all[i], all[j]) : squaredDistance(all[j], all[i]);
      kernel[i * n + j] = Math.exp(-gamma * d);
    }
  }
  return kernel;
}

function mmdOf(kernel: Float64Array, n: number, nx: number, order: Uint32Array | null): number {
  const ny = n - nx;
  let sumXX = 0;
  let sumYY = 0;
  let sumYX = 0;
  for (let a = 0; a < n; a++) {
    const row = (order ? order[a] : a) * n;
    for (let b = 0; b < n; b++) {
      const value = kernel[row + (order ? order[b] : b)];
      if (a < nx) {
        if (b < nx) sumXX += value;
      } else if (b < nx) sumYX += value;
      else sumYY += value;
    }
  }
  const aCoef = 1 / (nx * (nx - 1));
  const bCoef = 1 / (ny * (ny - 1));
  return aCoef * sumXX + bCoef * sumYY - 2.0 * (sumYX / (nx * ny));
}

function empiricalMmd(x: Float64Array, y: Float64Array, seed: number): StatTestOutcome {
  const nx = x.length;
  const ny = y.length;
  // Evidently's 1 / (n * (n - 1)) on Python ints raises for a single value.
  if (nx <= 1 || ny <= 1) throw new DriftError('division by zero');
  const n = nx + ny;
  if (n > MMD_MAX_VALUES) {
    throw new DriftError(`empirical_mmd compares at most ${MMD_MAX_VALUES} values in total (its kernel matrix is n^2); got ${n}.`);
  }
  const kernel = kernelMatrix(x, y);
  const observed = mmdOf(kernel, n, nx, null);
  const rng = new Mt19937(seed);
  const order = new Uint32Array(n);
  let atLeast = 0;
  for (let i = 0; i < PERMUTATIONS; i++) {
    if (observed <= mmdOf(kernel, n, nx, rng.permuteInto(order)) + TIE_TOLERANCE) atLeast++;
  }
  return { statistic: observed, score: atLeast / PERMUTATIONS };
}

export const empiricalMmdStatTest: StatTestDefinition = {
  name: 'empirical_mmd',
  displayName: 'empirical_mmd',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'p_value',
  driftWhen: '<',
  run: (pair: SamplePair, context: StatTestContext) => {
    const { reference, current } = pair.numbers();
    return empiricalMmd(reference, current, context.seed);
  },
};
