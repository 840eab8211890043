/**
 * Label-based classification metrics with scikit-learn's definitions (sklearn.metrics
 * accuracy_score, precision_recall_fscore_support, confusion_matrix). zero_division is 0: a ratio
 * whose denominator is 0 (no predictions of a class, no true samples of a class) counts as 0, which
 * is what scikit-learn returns for its default zero_division="warn".
 */
import { PerformanceError } from './errors.js';
import { indexLabels, uniqueSorted } from './labels.js';
import type { AverageOptions, ClassReport, ConfusionMatrix, Label } from './types.js';
import { checkLabelPair, checkLabels } from './validate.js';

/** Share of samples whose prediction equals the label. */
export function accuracy(yTrue: readonly Label[], yPred: readonly Label[]): number {
  checkLabelPair(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

interface ClassCounts {
  readonly labels: readonly Label[];
  readonly truePositives: number[];
  readonly predicted: number[];
  readonly support: number[];
}

/** Per-class tp, tp+fp and tp+fn; samples whose labels are not listed count only where they are. */
function classCounts(yTrue: readonly Label[], yPred: readonly Label[], labels: readonly Label[]): ClassCounts {
  const index = indexLabels(labels);
  const truePositives = new Array<number>(labels.length).fill(0);
  const predicted = new Array<number>(labels.length).fill(0);
  const support = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined) support[t]++;
    if (p !== undefined) predicted[p]++;
    if (t !== undefined && t === p) truePositives[t]++;
  }
  return { labels, truePositives, predicted, support };
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

/** F1 from precision and recall, as scikit-learn 1.2 computes it (0 when both are 0). */
const f1From = (precision: number, recall: number): number => {
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
};

function checkedLabels(name: string, labels: readonly Label[]): readonly Label[] {
  checkLabels(name, labels);
  if (labels.length === 0) throw new PerformanceError(`${name} is empty: at least one label is needed`);
  return labels;
}

interface Scores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

function averagedScores(yTrue: readonly Label[], yPred: readonly Label[], options: AverageOptions): Scores {
  checkLabelPair(yTrue, yPred);
  const average = options.average ?? 'binary';
  if (average === 'binary') {
    const positive = options.positiveLabel ?? 1;
    const present = uniqueSorted(yTrue, yPred);
    if (present.length > 2) {
      throw new PerformanceError(
        `target is multiclass (${present.length} labels) but average is 'binary': choose 'macro', 'micro' or 'weighted'`,
      );
    }
    if (present.length === 2 && !present.includes(positive)) {
      throw new PerformanceError(
        `positiveLabel ${JSON.stringify(positive)} is not a valid label: it should be one of ${JSON.stringify(present)}`,
      );
    }
    return perClassScores(classCounts(yTrue, yPred, [positive]))[0];
  }
  const labels = options.labels ? checkedLabels('labels', options.labels) : uniqueSorted(yTrue, yPred);
  const counts = classCounts(yTrue, yPred, labels);
  if (average === 'micro') {
    const sum = (a: number[]): number => a.reduce((s, v) => s + v, 0);
    const precision = ratio(sum(counts.truePositives), sum(counts.predicted));
    const recall = ratio(sum(counts.truePositives), sum(counts.support));
    return { precision, recall, f1: f1From(precision, recall) };
  }
  const scores = perClassScores(counts);
  // 'macro' weighs classes equally; 'weighted' by their true support (0 when no listed class occurs).
  const weights = average === 'macro' ? scores.map(() => 1) : counts.support;
  const total = weights.reduce((s, w) => s + w, 0);
  const mean = (pick: (s: Scores) => number): number =>
    total === 0 ? 0 : scores.reduce((s, score, i) => s + pick(score) * weights[i], 0) / total;
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
}

function perClassScores(counts: ClassCounts): Scores[] {
  return counts.labels.map((_, i) => {
    const precision = ratio(counts.truePositives[i], counts.predicted[i]);
    const recall = ratio(counts.truePositives[i], counts.support[i]);
    return { precision, recall, f1: f1From(precision, recall) };
  });
}

/** tp / (tp + fp), averaged as scikit-learn's precision_score. */
export function precision(yTrue: readonly Label[], yPred: readonly Label[], options: AverageOptions = {}): number {
  return averagedScores(yTrue, yPred, options).precision;
}

/** tp / (tp + fn), averaged as scikit-learn's recall_score. */
export function recall(yTrue: readonly Label[], yPred: readonly Label[], options: AverageOptions = {}): number {
  return averagedScores(yTrue, yPred, options).recall;
}

/** Harmonic mean of precision and recall, averaged as scikit-learn's f1_score. */
export function f1(yTrue: readonly Label[], yPred: readonly Label[], options: AverageOptions = {}): number {
  return averagedScores(yTrue, yPred, options).f1;
}

/** precision_recall_fscore_support(average=None): one row per class, in `labels` order. */
export function classReport(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  labels: readonly Label[] = uniqueSorted(yTrue, yPred),
): ClassReport[] {
  checkLabelPair(yTrue, yPred);
  const counts = classCounts(yTrue, yPred, checkedLabels('labels', labels));
  return perClassScores(counts).map((s, i) => ({ label: labels[i], ...s, support: counts.support[i] }));
}

/**
 * scikit-learn's confusion_matrix: rows are true classes, columns predicted classes, in `labels`
 * order (default sorted union). Samples whose true or predicted label is not listed are left out.
 */
export function confusionMatrix(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  labels: readonly Label[] = uniqueSorted(yTrue, yPred),
): ConfusionMatrix {
  checkLabelPair(yTrue, yPred);
  const index = indexLabels(checkedLabels('labels', labels));
  if (!yTrue.some((v) => index.has(v))) throw new PerformanceError('at least one of labels must occur in yTrue');
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined && p !== undefined) matrix[t][p]++;
  }
  return { labels: [...labels], matrix };
}
