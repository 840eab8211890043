/**
 * Isotonic regression (pool adjacent violators), as scikit-learn's
 * IsotonicRegression(increasing=True, out_of_bounds='clip'), which NannyML uses to calibrate
 * probabilities. Fitting returns plain data, so a fitted calibrator can be stored and reused.
 */
import { PerformanceError } from './errors.js';
import { checkFinite, checkNonEmpty, checkSameLength } from './validate.js';

export interface IsotonicFit {
  /** Distinct inputs, ascending. */
  readonly x: readonly number[];
  /** Fitted non-decreasing outputs at those inputs. */
  readonly y: readonly number[];
}

export function fitIsotonic(x: readonly number[], y: readonly number[]): IsotonicFit {
  checkSameLength('x', x, 'y', y);
  checkNonEmpty('x', x);
  checkFinite('x', x);
  checkFinite('y', y);
  // Equal inputs first become one point with the mean output and their count as weight
  // (scikit-learn's _make_unique), so ties never produce a vertical step.
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    if (xs.length > 0 && xs[xs.length - 1] === x[i]) {
      sums[sums.length - 1] += y[i];
      weights[weights.length - 1]++;
    } else {
      xs.push(x[i]);
      sums.push(y[i]);
      weights.push(1);
    }
  }
  // Pool adjacent violators: a stack of blocks (weighted mean, weight, points); merging a block
  // into its predecessor while the predecessor's mean is larger restores monotonicity.
  const means: number[] = [];
  const blockWeights: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    let mean = sums[i] / weights[i];
    let weight = weights[i];
    let size = 1;
    while (means.length > 0 && means[means.length - 1] >= mean) {
      const w = blockWeights.pop() ?? 0;
      const m = means.pop() ?? 0;
      size += sizes.pop() ?? 0;
      mean = (m * w + mean * weight) / (w + weight);
      weight += w;
    }
    means.push(mean);
    blockWeights.push(weight);
    sizes.push(size);
  }
  const fitted = means.flatMap((m, b) => new Array<number>(sizes[b]).fill(m));
  return { x: xs, y: fitted };
}

/** np.interp over the fitted points, inputs clipped to the fitted range. */
export function predictIsotonic(fit: IsotonicFit, value: number): number {
  if (!Number.isFinite(value)) throw new PerformanceError(`cannot calibrate ${value}: inputs must be finite`);
  const { x, y } = fit;
  if (value <= x[0]) return y[0];
  if (value >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= value) lo = mid;
    else hi = mid;
  }
  if (x[lo] === value) return y[lo];
  const slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
  return slope * (value - x[lo]) + y[lo];
}
