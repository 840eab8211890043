/**
 * Model-performance API wire types (`POST /api/capstan/v1/monitoring/performance`): a deployment's
 * logged predictions in a time window joined with the labels posted for them
 * (`POST /deployments/{name}/labels`), scored overall, per time window and per segment, estimated
 * with CBPE where labels are missing, and watched by drift detectors. snake_case like the rest of
 * the API; see docs/monitoring.md, "Performance API".
 */
import type { MonitoringCell, MonitoringNumber } from './monitoring.js';

export const MONITORING_PERFORMANCE_ROUTE = { method: 'POST', path: '/monitoring/performance' } as const;

/** A class label. Booleans in logged predictions and labels are read as 1 (true) and 0 (false). */
export type PerformanceClass = number | string;

/** A deployment's logged traffic in `[from, to)` (epoch ms). */
export interface PerformanceWindowSource {
  deployment: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** A labelled reference given inline (for CBPE): one entry per row. */
export interface InlinePerformanceReference {
  labels: (PerformanceClass | boolean)[];
  /**
   * The positive class's probability per row, or one row per sample with a value per `scores`
   * column (the same columns as the current window's).
   */
  scores: number[] | number[][];
  /** Predicted classes; default: the positive class where its probability is >= `cbpe.threshold`. */
  predictions?: (PerformanceClass | boolean)[];
}

export interface PageHinkleySettings {
  /** Default 30. */
  min_instances?: number;
  /** Default 0.005. */
  delta?: number;
  /** Default 50. */
  threshold?: number;
  /** Default 1 - 1e-4. */
  alpha?: number;
  /** Default 'both'. */
  mode?: 'up' | 'down' | 'both';
}

export interface AdwinSettings {
  /** Default 0.002. */
  delta?: number;
  /** Default 32. */
  clock?: number;
  /** Default 5. */
  max_buckets?: number;
  /** Default 5. */
  min_window_length?: number;
  /** Default 10. */
  grace_period?: number;
}

export interface CbpeSettings {
  /** Reference rows per band chunk; default: the mean row count of the current windows, else a tenth of the reference. */
  chunk_size?: number;
  /** Calibrate the scores with isotonic regression fitted on the reference. Default true. */
  calibrate?: boolean;
  /** Band half-width in reference-chunk standard deviations. Default 3. */
  std_multiplier?: number;
  /** Decision threshold for an inline reference without `predictions`. Default 0.5. */
  threshold?: number;
  /** Which current rows are estimated: every row (default) or only those without a label. */
  rows?: 'all' | 'unlabelled';
}

export interface PerformanceRequest {
  /** The predictions to score: a deployment's inference log in a time window. */
  current: PerformanceWindowSource;
  task: 'classification' | 'regression';
  /** The output column that holds the prediction (e.g. `label`, or `variable` for a regressor). */
  prediction: string;
  /**
   * Classification: output column(s) holding scores. One column: the positive class's probability
   * (binary). Several: one probability per class, in `classes` order (default: the sorted classes).
   */
  scores?: string | string[];
  /** The positive class of a binary classifier (binary averaging, ROC/PR AUC, CBPE). */
  positive_label?: PerformanceClass;
  /** The class list and its order; default: the sorted classes among labels and predictions. */
  classes?: PerformanceClass[];
  /** Precision/recall/F1 averaging; default 'binary' when the positive class is known, else 'macro'. */
  average?: 'binary' | 'macro' | 'micro' | 'weighted';
  /** Also score epoch-aligned windows of this many ms. */
  window_ms?: number;
  /** Also score each value of this input column. */
  segment_by?: string;
  /** A labelled reference for CBPE (binary classification with scores). */
  reference?: PerformanceWindowSource | InlinePerformanceReference;
  cbpe?: CbpeSettings;
  /** Run change detectors over the per-row error stream (0/1 misclassification or absolute error). */
  detectors?: { page_hinkley?: PageHinkleySettings; adwin?: AdwinSettings };
}

export interface PerClassMetrics {
  label: PerformanceClass;
  precision: MonitoringNumber;
  recall: MonitoringNumber;
  f1: MonitoringNumber;
  support: number;
}

export interface ClassificationMetrics {
  /** Labelled rows scored. */
  count: number;
  accuracy: MonitoringNumber;
  precision: MonitoringNumber;
  recall: MonitoringNumber;
  f1: MonitoringNumber;
  /** null when undefined for these rows (see `undefined_metrics`) or when no scores were named. */
  roc_auc: MonitoringNumber | null;
  pr_auc: MonitoringNumber | null;
  log_loss: MonitoringNumber | null;
  /** Rows are true classes, columns predicted classes, in the report's `classes` order. */
  confusion_matrix: { labels: PerformanceClass[]; matrix: number[][] };
  per_class: PerClassMetrics[];
  /** Why a metric is null, by metric name. */
  undefined_metrics?: Record<string, string>;
}

export interface RegressionMetrics {
  count: number;
  mae: MonitoringNumber;
  rmse: MonitoringNumber;
  /** A fraction (0.1 = 10 %), as scikit-learn's mean_absolute_percentage_error. */
  mape: MonitoringNumber;
  /** null for a single row. */
  r2: MonitoringNumber | null;
  undefined_metrics?: Record<string, string>;
}

export type CbpeMetricName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc';

export interface CbpeEstimateWire {
  /** Rows estimated. */
  rows: number;
  /** null where the estimate is undefined (e.g. precision with no positive prediction). */
  estimated: Record<CbpeMetricName, MonitoringNumber | null>;
  /** Metrics whose estimate lies outside the reference band. */
  alerts: CbpeMetricName[];
}

export interface PerformanceGroup {
  /** Window [window_start, window_end) in epoch ms (windows only). */
  window_start?: number;
  window_end?: number;
  /** The segment's value of `segment_by` (segments only; null for rows without one). */
  segment?: MonitoringCell;
  rows: number;
  labelled_rows: number;
  unlabelled_rows: number;
  label_coverage: number;
  /** null when the group holds no labelled row. */
  metrics: ClassificationMetrics | RegressionMetrics | null;
  /** CBPE estimate of the group (with a reference); null when it holds no row to estimate. */
  estimated?: CbpeEstimateWire | null;
}

export interface CbpeReportWire {
  method: 'cbpe';
  positive_label: PerformanceClass;
  rows: 'all' | 'unlabelled';
  reference: {
    /** Labelled reference rows. */
    rows: number;
    chunk_size: number;
    chunks: number;
    calibrated: boolean;
    /** Reference-chunk mean ± std_multiplier · std, clipped to [0, 1]; null when no chunk had the metric defined. */
    bands: Record<CbpeMetricName, { lower: MonitoringNumber; upper: MonitoringNumber } | null>;
    /** Realized metrics of each reference chunk. */
    chunk_metrics: Record<CbpeMetricName, MonitoringNumber | null>[];
  };
  /** The whole current window; null when it holds no row to estimate. */
  overall: CbpeEstimateWire | null;
}

export interface DriftDetection {
  /** Position in the error stream (0-based). */
  index: number;
  /** When the request was logged, epoch ms. */
  at: number;
  request_id: string;
  /** The row within the request. */
  row: number;
}

export interface DetectorsReport {
  stream: 'misclassification' | 'absolute_error';
  /** Labelled rows in time order (request log time, then row). */
  length: number;
  page_hinkley?: { detections: DriftDetection[] };
  adwin?: { detections: DriftDetection[]; width: number; estimation: MonitoringNumber };
}

export interface PerformanceReport {
  task: 'classification' | 'regression';
  /** `ok`; `no_labels` when no row of the window has a label; `no_rows` when nothing was logged. */
  status: 'ok' | 'no_labels' | 'no_rows';
  /** Why there are no metrics, when status is not ok. */
  explanation?: string;
  prediction: string;
  scores: string[];
  /** Classification: the classes (confusion-matrix order), the averaging and the positive class (null if none). */
  classes?: PerformanceClass[];
  average?: 'binary' | 'macro' | 'micro' | 'weighted';
  positive_label?: PerformanceClass | null;
  /** Logged requests in the window and those with a label. */
  requests: number;
  labelled_requests: number;
  rows: number;
  labelled_rows: number;
  unlabelled_rows: number;
  /** labelled_rows / rows; null when the window is empty. */
  label_coverage: number | null;
  /** Over every labelled row; null without one. */
  metrics: ClassificationMetrics | RegressionMetrics | null;
  window_ms?: number;
  windows?: PerformanceGroup[];
  segment_by?: string;
  segments?: PerformanceGroup[];
  estimation?: CbpeReportWire;
  detectors?: DetectorsReport;
}

export interface PerformanceReportResponse {
  performance: PerformanceReport;
}

/** `POST /deployments/{name}/labels`: a label per request id; a request of n rows takes an array of n labels. */
export interface PostLabelsRequest {
  labels: { request_id: string; label: unknown }[];
}

export interface PostLabelsResponse {
  stored: number;
}
