/**
 * Score-based metrics: ROC AUC (scikit-learn's roc_auc_score, binary and multiclass one-vs-rest
 * macro) and PR AUC as scikit-learn's average_precision_score (the step-wise sum
 * Σ (R_n − R_{n−1})·P_n, never a trapezoid, which would over-state it).
 */
import { PerformanceError } from './errors.js';
import { compareLabels, indexLabels, uniqueSorted } from './labels.js';
import type { Label } from './types.js';
import { checkFinite, checkLabels, checkNonEmpty, checkSameLength } from './validate.js';

/**
 * Cumulative true and false positives at each distinct score, highest score first (scikit-learn's
 * _binary_clf_curve). Tied scores form one threshold, so ties count half, as they must for AUC.
 */
function binaryCurve(positive: readonly boolean[], scores: readonly number[]): { tps: number[]; fps: number[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((sample, k) => {
    if (positive[sample]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[sample]) {
      tps.push(tp);
      fps.push(fp);
    }
  });
  return { tps, fps };
}

/** Trapezoidal area under (fpr, tpr), starting from (0, 0); needs both classes. */
function binaryRocAuc(positive: readonly boolean[], scores: readonly number[]): number {
  const { tps, fps } = binaryCurve(positive, scores);
  const p = tps[tps.length - 1];
  const n = fps[fps.length - 1];
  if (p === 0 || n === 0) {
    throw new PerformanceError('only one class present in yTrue: ROC AUC is not defined in that case');
  }
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < tps.length; i++) {
    area += (fps[i] - prevFp) * (tps[i] + prevTp);
    prevTp = tps[i];
    prevFp = fps[i];
  }
  return area / (2 * p * n);
}

function checkScores(yTrue: readonly Label[], scores: readonly number[]): void {
  checkSameLength('yTrue', yTrue, 'scores', scores);
  checkNonEmpty('yTrue', yTrue);
  checkLabels('yTrue', yTrue);
  checkFinite('scores', scores);
}

/** The positive class of a binary target; more than two classes, or a missing positive, is refused. */
function positiveMask(yTrue: readonly Label[], positiveLabel: Label): boolean[] {
  const present = uniqueSorted(yTrue);
  if (present.length > 2) {
    throw new PerformanceError(`yTrue has ${present.length} classes: a binary target has at most two`);
  }
  if (present.length === 2 && !present.includes(positiveLabel)) {
    throw new PerformanceError(
      `positiveLabel ${JSON.stringify(positiveLabel)} is not a valid label: it should be one of ${JSON.stringify(present)}`,
    );
  }
  return yTrue.map((v) => v === positiveLabel);
}

export interface BinaryScoreOptions {
  /** The class the scores point to. Default: roc_auc_score's larger label / average_precision_score's 1. */
  readonly positiveLabel?: Label;
}

/** Binary ROC AUC; the scores are for the positive class (by default the larger label, as scikit-learn). */
export function rocAuc(yTrue: readonly Label[], scores: readonly number[], options: BinaryScoreOptions = {}): number {
  checkScores(yTrue, scores);
  const present = uniqueSorted(yTrue);
  return binaryRocAuc(positiveMask(yTrue, options.positiveLabel ?? present[present.length - 1]), scores);
}

/**
 * average_precision_score: Σ (R_n − R_{n−1})·P_n over distinct thresholds, highest first. With no
 * positive sample recall is undefined; scikit-learn then returns 0 (with a warning), and so do we.
 */
export function averagePrecision(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): number {
  checkScores(yTrue, scores);
  const { tps, fps } = binaryCurve(positiveMask(yTrue, options.positiveLabel ?? 1), scores);
  const p = tps[tps.length - 1];
  if (p === 0) return 0;
  let sum = 0;
  let prevTp = 0;
  for (let i = 0; i < tps.length; i++) {
    sum += ((tps[i] - prevTp) / p) * (tps[i] / (tps[i] + fps[i]));
    prevTp = tps[i];
  }
  return sum;
}

/**
 * roc_auc_score(multi_class='ovr', average='macro'): the mean over classes of the binary AUC of
 * "this class" against the rest, scored by that class's probability column. Rows must be probability
 * distributions (np.allclose(1, row sum)), and every class must occur in yTrue.
 */
export function rocAucOvr(
  yTrue: readonly Label[],
  probabilities: readonly (readonly number[])[],
  labels: readonly Label[] = uniqueSorted(yTrue),
): number {
  checkSameLength('yTrue', yTrue, 'probabilities', probabilities);
  checkNonEmpty('yTrue', yTrue);
  checkLabels('yTrue', yTrue);
  checkLabels('labels', labels);
  const index = indexLabels(labels);
  if (labels.some((label, i) => i > 0 && compareLabels(labels[i - 1], label) >= 0)) {
    throw new PerformanceError('labels must be sorted: scikit-learn matches probability columns to sorted classes');
  }
  if (labels.length < 3) throw new PerformanceError(`one-vs-rest ROC AUC needs at least 3 classes, got ${labels.length}`);
  probabilities.forEach((row, i) => {
    if (row.length !== labels.length) {
      throw new PerformanceError(`probabilities[${i}] has ${row.length} columns but there are ${labels.length} classes`);
    }
    checkFinite(`probabilities[${i}]`, row);
    const sum = row.reduce((s, v) => s + v, 0);
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw new PerformanceError(`probabilities[${i}] sums to ${sum}: rows must be probabilities summing to 1`);
    }
  });
  yTrue.forEach((v, i) => {
    if (!index.has(v)) throw new PerformanceError(`yTrue[${i}] is ${JSON.stringify(v)}, which is not among labels`);
  });
  const perClass = labels.map((label, c) =>
    binaryRocAuc(
      yTrue.map((v) => v === label),
      probabilities.map((row) => row[c]),
    ),
  );
  return perClass.reduce((s, v) => s + v, 0) / perClass.length;
}
