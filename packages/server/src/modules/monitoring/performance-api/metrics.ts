/**
 * The metrics of one group of labelled rows (the whole window, a time window or a segment), with
 * scikit-learn's definitions from `../performance/`. Accuracy, precision, recall and F1 are always
 * defined and a refusal there is the caller's input (a 400); score-based metrics and R² may be
 * undefined for a group (one class present, one row), which gives null and a reason instead.
 */
import type { ClassificationMetrics, PerformanceClass, RegressionMetrics } from '@capstan/contracts';
import {
  accuracy,
  averagePrecision,
  classReport,
  confusionMatrix,
  f1,
  logLoss,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  PerformanceError,
  precision,
  r2Score,
  recall,
  rocAuc,
  rocAucOvr,
  rootMeanSquaredError,
  type Average,
  type AverageOptions,
  type Label,
} from '../performance/index.js';
import { compareLabels } from '../performance/labels.js';
import type { TypedRow } from './typed-rows.js';
import { wireNumber, wireOrNull } from '../wire-number.js';

/** How a classification report reads its classes and scores, fixed once for every group. */
export interface ClassSetup {
  /** The report's classes: confusion-matrix and per-class order. */
  readonly classes: readonly Label[];
  /** Whether `classes` was given (then it is also the averaging set, as scikit-learn's `labels=`). */
  readonly explicit: boolean;
  readonly average: Average;
  /** The positive class for 'binary' averaging, if known. */
  readonly positive?: Label;
  readonly scores:
    | { readonly kind: 'none' }
    /**
     * Binary: the positive class's probability is column `column`; `negative` is the other class, if
     * known. With a column per class, `order[i]` is the column of the i-th class in sorted order
     * (log loss then reads both columns, as scikit-learn's log_loss reads a two-column y_pred).
     */
    | { readonly kind: 'binary'; readonly column: number; readonly positive: Label; readonly negative?: Label; readonly order?: readonly number[] }
    /** Binary with the positive class unknown: score metrics are undefined, for `reason`. */
    | { readonly kind: 'unknown'; readonly reason: string }
    /** One column per class; `order[i]` is the column of the i-th class in sorted order. */
    | { readonly kind: 'multiclass'; readonly sortedClasses: readonly Label[]; readonly order: readonly number[] };
}

type Undefined = Record<string, string>;

function optional(name: string, undefinedMetrics: Undefined, compute: () => number): number | null {
  try {
    return compute();
  } catch (err) {
    if (!(err instanceof PerformanceError)) throw err;
    undefinedMetrics[name] = err.message;
    return null;
  }
}


export function classificationMetrics(rows: readonly TypedRow<Label>[], setup: ClassSetup): ClassificationMetrics {
  const yTrue = rows.map((r) => r.label!);
  const yPred = rows.map((r) => r.prediction);
  const averaging: AverageOptions =
    setup.average === 'binary' ? { average: 'binary', positiveLabel: setup.positive! } : { average: setup.average, ...(setup.explicit ? { labels: setup.classes } : {}) };
  const undefinedMetrics: Undefined = {};
  let rocAucValue: number | null = null;
  let prAucValue: number | null = null;
  let logLossValue: number | null = null;
  const { scores } = setup;
  if (scores.kind === 'none' || scores.kind === 'unknown') {
    const reason = scores.kind === 'none' ? 'no scores column was named' : scores.reason;
    for (const m of ['roc_auc', 'pr_auc', 'log_loss']) undefinedMetrics[m] = reason;
  } else if (scores.kind === 'binary') {
    const p = rows.map((r) => r.scores[scores.column]!);
    rocAucValue = optional('roc_auc', undefinedMetrics, () => rocAuc(yTrue, p, { positiveLabel: scores.positive }));
    prAucValue = optional('pr_auc', undefinedMetrics, () => averagePrecision(yTrue, p, { positiveLabel: scores.positive }));
    logLossValue = optional('log_loss', undefinedMetrics, () => {
      if (scores.negative === undefined) {
        throw new PerformanceError(`only the class ${JSON.stringify(scores.positive)} is known: give classes (both of them) for log loss`);
      }
      const { order } = scores;
      if (order) return logLoss(yTrue, rows.map((r) => order.map((column) => r.scores[column]!)), [scores.negative, scores.positive]);
      // logLoss's one-column form is the probability of the larger class.
      const larger = compareLabels(scores.positive, scores.negative) > 0;
      return logLoss(yTrue, larger ? p : p.map((x) => 1 - x), [scores.negative, scores.positive]);
    });
  } else {
    const probabilities = rows.map((r) => scores.order.map((column) => r.scores[column]!));
    rocAucValue = optional('roc_auc', undefinedMetrics, () => rocAucOvr(yTrue, probabilities, scores.sortedClasses));
    // Macro average of one-vs-rest average precision (scikit-learn's average_precision_score on
    // label_binarize(y, classes) with average='macro'); a class absent from the labels scores 0.
    prAucValue = optional('pr_auc', undefinedMetrics, () => {
      const perClass = scores.sortedClasses.map((c, i) =>
        averagePrecision(
          yTrue.map((y) => (y === c ? 1 : 0)),
          probabilities.map((row) => row[i]!),
          { positiveLabel: 1 },
        ),
      );
      return perClass.reduce((s, v) => s + v, 0) / perClass.length;
    });
    logLossValue = optional('log_loss', undefinedMetrics, () => logLoss(yTrue, probabilities, scores.sortedClasses));
  }
  const matrix = confusionMatrix(yTrue, yPred, setup.classes);
  return {
    count: rows.length,
    accuracy: wireNumber(accuracy(yTrue, yPred)),
    precision: wireNumber(precision(yTrue, yPred, averaging)),
    recall: wireNumber(recall(yTrue, yPred, averaging)),
    f1: wireNumber(f1(yTrue, yPred, averaging)),
    roc_auc: wireOrNull(rocAucValue),
    pr_auc: wireOrNull(prAucValue),
    log_loss: wireOrNull(logLossValue),
    confusion_matrix: { labels: [...matrix.labels] as PerformanceClass[], matrix: matrix.matrix.map((row) => [...row]) },
    per_class: classReport(yTrue, yPred, setup.classes).map((c) => ({
      label: c.label,
      precision: wireNumber(c.precision),
      recall: wireNumber(c.recall),
      f1: wireNumber(c.f1),
      support: c.support,
    })),
    ...(Object.keys(undefinedMetrics).length ? { undefined_metrics: undefinedMetrics } : {}),
  };
}

export function regressionMetrics(rows: readonly TypedRow<number>[]): RegressionMetrics {
  const yTrue = rows.map((r) => r.label!);
  const yPred = rows.map((r) => r.prediction);
  const undefinedMetrics: Undefined = {};
  const r2 = optional('r2', undefinedMetrics, () => r2Score(yTrue, yPred));
  return {
    count: rows.length,
    mae: wireNumber(meanAbsoluteError(yTrue, yPred)),
    rmse: wireNumber(rootMeanSquaredError(yTrue, yPred)),
    mape: wireNumber(meanAbsolutePercentageError(yTrue, yPred)),
    r2: wireOrNull(r2),
    ...(Object.keys(undefinedMetrics).length ? { undefined_metrics: undefinedMetrics } : {}),
  };
}
