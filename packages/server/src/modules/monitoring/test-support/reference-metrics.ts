/**
 * Deliberately naive re-statements of scikit-learn's definitions, written independently of
 * `../performance/` so the performance API's answers are checked against the definitions rather
 * than against the code that computes them: ROC AUC by counting pairs (ties ½), average precision by
 * scanning every distinct threshold, log loss from clipped and renormalised rows, and so on.
 */
export type Cls = number | string;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function sortedClasses(...lists: (readonly Cls[])[]): Cls[] {
  const all = [...new Set(lists.flat())];
  return all.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

export function accuracyOf(y: readonly Cls[], p: readonly Cls[]): number {
  return y.filter((v, i) => v === p[i]).length / y.length;
}

/** precision, recall, F1 of one class (zero_division = 0). */
export function classScores(y: readonly Cls[], p: readonly Cls[], c: Cls): { precision: number; recall: number; f1: number; support: number } {
  let tp = 0;
  let predicted = 0;
  let support = 0;
  y.forEach((v, i) => {
    if (v === c) support++;
    if (p[i] === c) predicted++;
    if (v === c && p[i] === c) tp++;
  });
  const precision = ratio(tp, predicted);
  const recall = ratio(tp, support);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support };
}

/** Macro averages over `classes` (default: the classes present in y and p). */
export function macroScores(y: readonly Cls[], p: readonly Cls[], classes: readonly Cls[] = sortedClasses(y, p)) {
  const per = classes.map((c) => classScores(y, p, c));
  return { precision: mean(per.map((s) => s.precision)), recall: mean(per.map((s) => s.recall)), f1: mean(per.map((s) => s.f1)) };
}

export function confusion(y: readonly Cls[], p: readonly Cls[], classes: readonly Cls[]): number[][] {
  return classes.map((t) => classes.map((q) => y.filter((v, i) => v === t && p[i] === q).length));
}

/** P(score of a positive > score of a negative), ties counting ½. */
export function rocAucByPairs(isPositive: readonly boolean[], scores: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  isPositive.forEach((pos, i) => {
    if (!pos) return;
    isPositive.forEach((neg, j) => {
      if (neg) return;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    });
  });
  return wins / pairs;
}

/** Σ over distinct thresholds, highest first, of (R_n − R_{n−1})·P_n. */
export function averagePrecisionByThresholds(isPositive: readonly boolean[], scores: readonly number[]): number {
  const positives = isPositive.filter(Boolean).length;
  if (positives === 0) return 0;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let previousRecall = 0;
  let sum = 0;
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    scores.forEach((s, i) => {
      if (s >= t) {
        if (isPositive[i]) tp++;
        else fp++;
      }
    });
    const recall = tp / positives;
    sum += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return sum;
}

/** Mean −ln p(true class), rows clipped to [2^-52, 1 − 2^-52] and renormalised (scikit-learn 1.2). */
export function logLossOf(yIndex: readonly number[], rows: readonly (readonly number[])[]): number {
  const eps = 2 ** -52;
  return mean(
    yIndex.map((c, i) => {
      const clipped = rows[i]!.map((v) => Math.min(Math.max(v, eps), 1 - eps));
      return -Math.log(clipped[c]! / clipped.reduce((s, v) => s + v, 0));
    }),
  );
}

export function regressionOf(y: readonly number[], p: readonly number[]) {
  const mae = mean(y.map((v, i) => Math.abs(p[i]! - v)));
  const rmse = Math.sqrt(mean(y.map((v, i) => (p[i]! - v) ** 2)));
  const mape = mean(y.map((v, i) => Math.abs(p[i]! - v) / Math.max(Math.abs(v), 2 ** -52)));
  const centre = mean(y);
  const ssRes = y.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0);
  const ssTot = y.reduce((s, v) => s + (v - centre) ** 2, 0);
  const r2 = y.length < 2 ? null : ssRes === 0 ? 1 : ssTot === 0 ? 0 : 1 - ssRes / ssTot;
  return { mae, rmse, mape, r2 };
}

/** Binary metrics NannyML realizes on a labelled chunk (null when labels or predictions hold one class). */
export function realizedChunk(labels: readonly (0 | 1)[], predictions: readonly (0 | 1)[], p: readonly number[]) {
  const one = (v: readonly number[]) => v.every((x) => x === v[0]);
  if (one(labels)) return { accuracy: null, precision: null, recall: null, f1: null, roc_auc: null };
  const roc = rocAucByPairs(labels.map((l) => l === 1), p);
  if (one(predictions)) return { accuracy: null, precision: null, recall: null, f1: null, roc_auc: roc };
  const s = classScores(labels, predictions, 1);
  return { accuracy: accuracyOf(labels, predictions), precision: s.precision, recall: s.recall, f1: s.f1, roc_auc: roc };
}

/** mean ± k·σ (population σ) of the defined values, clipped to [0, 1]. */
export function bandOf(values: readonly (number | null)[], k = 3): { lower: number; upper: number } | null {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return null;
  const m = mean(defined);
  const sd = Math.sqrt(mean(defined.map((v) => (v - m) ** 2)));
  return { lower: Math.max(0, m - k * sd), upper: Math.min(1, m + k * sd) };
}

/** CBPE's expected-confusion-matrix accuracy, precision, recall and F1 of calibrated p and 0/1 predictions. */
export function expectedConfusion(p: readonly number[], predictions: readonly (0 | 1)[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  p.forEach((x, i) => {
    if (predictions[i] === 1) {
      tp += x;
      fp += 1 - x;
    } else {
      fn += x;
      tn += 1 - x;
    }
  });
  return { accuracy: (tp + tn) / p.length, precision: tp / (tp + fp), recall: tp / (tp + fn), f1: tp / (tp + (fp + fn) / 2) };
}

/** A small seeded generator (mulberry32), so test data is the same on every run. */
export { seededRandom as seeded } from '../../../core/test-support/seeded-random.js';
