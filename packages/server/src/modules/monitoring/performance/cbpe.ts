/**
 * Confidence-based performance estimation (NannyML's CBPE) for binary classifiers: when labels
 * arrive late or never, a calibrated probability p says the prediction is right with probability p
 * (predicted 1) or 1 − p (predicted 0), so summing p and 1 − p over a chunk gives its *expected*
 * confusion matrix, and the metrics of that matrix estimate the chunk's performance.
 *
 * Following nannyml/performance_estimation/confidence_based/metrics.py:
 *   TP = Σ_{ŷ=1} p, FP = Σ_{ŷ=1} (1 − p), FN = Σ_{ŷ=0} p, TN = Σ_{ŷ=0} (1 − p)
 *   accuracy = (TP + TN) / n, precision = TP / (TP + FP), recall = TP / (TP + FN),
 *   F1 = TP / (TP + (FP + FN) / 2)
 * and ROC AUC by estimate_roc_auc (expected TPR/FPR at every distinct probability; see README).
 * Alert bands come from the *realized* metrics of labelled reference chunks: mean ± 3·std
 * (population std, NannyML's StandardDeviationThreshold), clipped to [0, 1].
 */
import { accuracy, f1, precision, recall } from './classification.js';
import { PerformanceError } from './errors.js';
import { fitIsotonic, predictIsotonic, type IsotonicFit } from './isotonic.js';
import { rocAuc } from './ranking.js';
import { checkNonEmpty, checkProbabilities, checkSameLength } from './validate.js';

export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** A metric value per CBPE metric; null where the metric is undefined for the chunk. */
export type CbpeValues = Readonly<Record<CbpeMetric, number | null>>;

export interface CbpeChunk {
  /** Probability of class 1 for each sample. */
  readonly probabilities: readonly number[];
  /** Predicted class (0 or 1); default p >= threshold. */
  readonly predictions?: readonly (0 | 1)[];
}

export interface CbpeReference extends CbpeChunk {
  readonly labels: readonly (0 | 1)[];
}

export interface CbpeOptions {
  /** Reference chunk size; a trailing partial chunk is left out of the bands. */
  readonly chunkSize: number;
  /** Calibrate with isotonic regression fitted on the reference (default true). */
  readonly calibrate?: boolean;
  /** Decision threshold that turns probabilities into predictions when none are given. Default 0.5. */
  readonly threshold?: number;
  /** Band half-width in standard deviations. Default 3. */
  readonly stdMultiplier?: number;
}

export interface CbpeBand {
  readonly lower: number;
  readonly upper: number;
}

/** A fitted estimator: plain data (JSON-serialisable), so it can be stored with the monitor. */
export interface CbpeModel {
  readonly calibration: IsotonicFit | null;
  readonly threshold: number;
  /** Per metric; null when no reference chunk had the metric defined. */
  readonly bands: Readonly<Record<CbpeMetric, CbpeBand | null>>;
  /** Realized metrics of each reference chunk, which the bands summarise. */
  readonly referenceChunks: readonly CbpeValues[];
}

export interface CbpeEstimate {
  readonly count: number;
  readonly estimated: CbpeValues;
  /** Metrics whose estimate lies outside its band. */
  readonly alerts: readonly CbpeMetric[];
}

function checkChunk(name: string, chunk: CbpeChunk): void {
  checkNonEmpty(`${name}.probabilities`, chunk.probabilities);
  checkProbabilities(`${name}.probabilities`, chunk.probabilities);
  if (chunk.predictions) {
    checkSameLength(`${name}.probabilities`, chunk.probabilities, `${name}.predictions`, chunk.predictions);
    chunk.predictions.forEach((v, i) => {
      if (v !== 0 && v !== 1) throw new PerformanceError(`${name}.predictions[${i}] is ${String(v)}: predictions must be 0 or 1`);
    });
  }
}

const predictionsOf = (chunk: CbpeChunk, threshold: number): (0 | 1)[] =>
  chunk.predictions ? [...chunk.predictions] : chunk.probabilities.map((p) => (p >= threshold ? 1 : 0));

const orNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * NannyML's estimate_roc_auc: thresholds are the sorted probabilities with 1 appended; at each
 * distinct threshold t the expected TP is Σ_{p ≥ t} p (plus the appended 1), FP Σ_{p ≥ t} (1 − p),
 * FN Σ_{p < t} p, TN Σ_{p < t} (1 − p), and the area under (FPR, TPR) is the trapezoid sum.
 */
export function estimateRocAuc(probabilities: readonly number[]): number | null {
  checkNonEmpty('probabilities', probabilities);
  checkProbabilities('probabilities', probabilities);
  const t = [...probabilities].sort((a, b) => a - b);
  t.push(1);
  const n = t.length;
  const tp = new Array<number>(n);
  const fp = new Array<number>(n);
  let sumP = 0;
  let sumQ = 0;
  for (let i = n - 1; i >= 0; i--) {
    sumP += t[i];
    sumQ += 1 - t[i];
    tp[i] = sumP;
    fp[i] = sumQ;
  }
  const tpr: number[] = [];
  const fpr: number[] = [];
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    // Only the first index of each distinct threshold, where FN and TN hold everything below it.
    if (i === 0 || t[i] !== t[i - 1]) {
      tpr.push(tp[i] / (tp[i] + fn));
      fpr.push(fp[i] / (fp[i] + tn));
    }
    fn += t[i];
    tn += 1 - t[i];
  }
  // scikit-learn's auc, which NannyML calls, needs two points; fpr falls from 1 to 0, so the
  // trapezoids are summed with the sign flipped.
  if (fpr.length < 2) return null;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += (fpr[i - 1] - fpr[i]) * (tpr[i] + tpr[i - 1]) / 2;
  return orNull(area);
}

/** Expected-confusion-matrix estimates for one chunk of (already calibrated) probabilities. */
export function estimateBinaryPerformance(probabilities: readonly number[], predictions: readonly (0 | 1)[]): CbpeValues {
  checkChunk('chunk', { probabilities, predictions });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  probabilities.forEach((p, i) => {
    if (predictions[i] === 1) {
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  });
  return {
    accuracy: (tp + tn) / probabilities.length,
    precision: orNull(tp / (tp + fp)),
    recall: orNull(tp / (tp + fn)),
    f1: orNull(tp / (tp + 0.5 * (fp + fn))),
    rocAuc: estimateRocAuc(probabilities),
  };
}

/** Realized metrics; like NannyML, a metric is undefined (null) when labels or predictions hold one class. */
function realized(labels: readonly (0 | 1)[], predictions: readonly (0 | 1)[], probabilities: readonly number[]): CbpeValues {
  const oneClass = (v: readonly number[]): boolean => v.every((x) => x === v[0]);
  const accuracyValue = accuracy(labels, predictions);
  if (oneClass(labels)) return { accuracy: null, precision: null, recall: null, f1: null, rocAuc: null };
  const rocAucValue = rocAuc(labels, probabilities);
  if (oneClass(predictions)) return { accuracy: null, precision: null, recall: null, f1: null, rocAuc: rocAucValue };
  return {
    accuracy: accuracyValue,
    precision: precision(labels, predictions),
    recall: recall(labels, predictions),
    f1: f1(labels, predictions),
    rocAuc: rocAucValue,
  };
}

/** mean ± k·std (ddof 0) of the defined values, clipped to the metric's range [0, 1]. */
function band(values: readonly (number | null)[], multiplier: number): CbpeBand | null {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return null;
  const mean = defined.reduce((s, v) => s + v, 0) / defined.length;
  const std = Math.sqrt(defined.reduce((s, v) => s + (v - mean) ** 2, 0) / defined.length);
  return { lower: Math.max(0, mean - multiplier * std), upper: Math.min(1, mean + multiplier * std) };
}

export function fitCbpe(reference: CbpeReference, options: CbpeOptions): CbpeModel {
  checkChunk('reference', reference);
  checkSameLength('reference.probabilities', reference.probabilities, 'reference.labels', reference.labels);
  reference.labels.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new PerformanceError(`reference.labels[${i}] is ${String(v)}: labels must be 0 or 1`);
  });
  const { chunkSize, calibrate = true, threshold = 0.5, stdMultiplier = 3 } = options;
  if (!(Number.isSafeInteger(chunkSize) && chunkSize > 0)) {
    throw new PerformanceError(`chunkSize is ${chunkSize}: it must be a positive integer`);
  }
  if (!(threshold >= 0 && threshold <= 1)) throw new PerformanceError(`threshold is ${threshold}: it must lie in [0, 1]`);
  if (!(stdMultiplier >= 0)) throw new PerformanceError(`stdMultiplier is ${stdMultiplier}: it must be >= 0`);
  const chunkCount = Math.floor(reference.probabilities.length / chunkSize);
  if (chunkCount < 2) {
    throw new PerformanceError(
      `reference has ${reference.probabilities.length} samples: at least two chunks of ${chunkSize} are needed for a band`,
    );
  }
  const predictions = predictionsOf(reference, threshold);
  const referenceChunks = Array.from({ length: chunkCount }, (_, c) => {
    const from = c * chunkSize;
    const to = from + chunkSize;
    return realized(
      reference.labels.slice(from, to),
      predictions.slice(from, to),
      reference.probabilities.slice(from, to),
    );
  });
  const bands = Object.fromEntries(
    CBPE_METRICS.map((m) => [m, band(referenceChunks.map((chunk) => chunk[m]), stdMultiplier)]),
  ) as Record<CbpeMetric, CbpeBand | null>;
  return {
    calibration: calibrate ? fitIsotonic(reference.probabilities, reference.labels) : null,
    threshold,
    bands,
    referenceChunks,
  };
}

/** Estimates one analysis chunk and flags the metrics outside their reference band. */
export function estimateCbpeChunk(model: CbpeModel, chunk: CbpeChunk): CbpeEstimate {
  checkChunk('chunk', chunk);
  // Predictions come from the model's own (uncalibrated) scores; calibration only changes p.
  const predictions = predictionsOf(chunk, model.threshold);
  const { calibration } = model;
  const calibrated = calibration ? chunk.probabilities.map((p) => predictIsotonic(calibration, p)) : chunk.probabilities;
  const estimated = estimateBinaryPerformance(calibrated, predictions);
  const alerts = CBPE_METRICS.filter((m) => {
    const value = estimated[m];
    const limits = model.bands[m];
    return value !== null && limits !== null && (value < limits.lower || value > limits.upper);
  });
  return { count: chunk.probabilities.length, estimated, alerts };
}
