/**
 * Cross-entropy as scikit-learn 1.2 (Debian bookworm's python3-sklearn) computes log_loss:
 * probabilities are clipped to [eps, 1 − eps] with eps = 2^-52 (np.finfo(float64).eps, its
 * eps="auto"), each row is divided by its sum, and the loss is the mean of −ln p(true class).
 * Clipping keeps a confident wrong answer finite (≈ 36 nats) instead of Infinity. scikit-learn ≥ 1.5
 * no longer re-normalises rows (it warns instead); for rows that already sum to 1 the two agree to
 * the last few bits.
 */
import { pairwiseSum } from '../drift/numeric/pairwise-sum.js';
import { PerformanceError } from './errors.js';
import { indexLabels, uniqueSorted } from './labels.js';
import type { Label } from './types.js';
import { checkLabels, checkNonEmpty, checkProbabilities, checkSameLength } from './validate.js';

const EPS = Number.EPSILON;

/**
 * `probabilities` is either one number per sample (binary: the probability of the larger label, as
 * scikit-learn's 1-D y_pred) or one row per sample with a column per class in sorted label order.
 */
export function logLoss(
  yTrue: readonly Label[],
  probabilities: readonly number[] | readonly (readonly number[])[],
  labels: readonly Label[] = uniqueSorted(yTrue),
): number {
  checkSameLength('yTrue', yTrue, 'probabilities', probabilities);
  checkNonEmpty('yTrue', yTrue);
  checkLabels('yTrue', yTrue);
  checkLabels('labels', labels);
  const classes = uniqueSorted(labels);
  if (classes.length < 2) {
    throw new PerformanceError(`yTrue contains only one label (${JSON.stringify(classes[0])}): pass the labels explicitly`);
  }
  const index = indexLabels(classes);
  const rows = probabilities.map((row, i): number[] => {
    if (typeof row === 'number') {
      checkProbabilities(`probabilities[${i}]`, [row]);
      if (classes.length !== 2) {
        throw new PerformanceError(`one probability per sample only describes 2 classes, there are ${classes.length}`);
      }
      const p = Math.min(Math.max(row, EPS), 1 - EPS);
      return [1 - p, p];
    }
    checkProbabilities(`probabilities[${i}]`, row);
    if (row.length !== classes.length) {
      throw new PerformanceError(`probabilities[${i}] has ${row.length} columns but there are ${classes.length} classes`);
    }
    return row.map((p) => Math.min(Math.max(p, EPS), 1 - EPS));
  });
  const losses = new Float64Array(yTrue.length);
  yTrue.forEach((label, i) => {
    const c = index.get(label);
    if (c === undefined) throw new PerformanceError(`yTrue[${i}] is ${JSON.stringify(label)}, which is not among labels`);
    const row = rows[i];
    losses[i] = -Math.log(row[c] / pairwiseSum(row));
  });
  return pairwiseSum(losses) / losses.length;
}
