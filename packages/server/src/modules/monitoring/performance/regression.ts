/**
 * Regression metrics with scikit-learn's definitions. Sums follow numpy's pairwise order so that
 * R²'s "is the target constant?" test sees the same bits as scikit-learn.
 */
import { pairwiseSum } from '../drift/numeric/pairwise-sum.js';
import { PerformanceError } from './errors.js';
import { checkFinite, checkNonEmpty, checkSameLength } from './validate.js';

function checkPair(yTrue: readonly number[], yPred: readonly number[]): void {
  checkSameLength('yTrue', yTrue, 'yPred', yPred);
  checkNonEmpty('yTrue', yTrue);
  checkFinite('yTrue', yTrue);
  checkFinite('yPred', yPred);
}

function meanOf(n: number, term: (i: number) => number): number {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = term(i);
  return pairwiseSum(values) / n;
}

export function meanAbsoluteError(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPair(yTrue, yPred);
  return meanOf(yTrue.length, (i) => Math.abs(yPred[i] - yTrue[i]));
}

export function rootMeanSquaredError(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPair(yTrue, yPred);
  return Math.sqrt(meanOf(yTrue.length, (i) => (yTrue[i] - yPred[i]) ** 2));
}

/**
 * mean_absolute_percentage_error: mean of |ŷ − y| / max(|y|, 2^-52). A fraction, not a percent
 * (0.1 means 10 %). A zero target does not divide by zero, but its term is huge (|ŷ|·2^52) on
 * purpose: scikit-learn's definition says relative error is meaningless there.
 */
export function meanAbsolutePercentageError(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPair(yTrue, yPred);
  return meanOf(yTrue.length, (i) => Math.abs(yPred[i] - yTrue[i]) / Math.max(Math.abs(yTrue[i]), Number.EPSILON));
}

/**
 * r2_score with force_finite=True: 1 − SS_res / SS_tot; for a constant target (SS_tot = 0) it is 1
 * when the predictions are perfect and 0 otherwise, instead of NaN or −Infinity. scikit-learn
 * returns NaN for a single sample; we refuse it instead, so results never hold NaN.
 */
export function r2Score(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPair(yTrue, yPred);
  if (yTrue.length < 2) throw new PerformanceError('R² is not well-defined with less than two samples');
  const n = yTrue.length;
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = (yTrue[i] - yPred[i]) ** 2;
  const centre = pairwiseSum(yTrue) / n;
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) total[i] = (yTrue[i] - centre) ** 2;
  const numerator = pairwiseSum(residual);
  const denominator = pairwiseSum(total);
  if (numerator === 0) return 1;
  if (denominator === 0) return 0;
  return 1 - numerator / denominator;
}
