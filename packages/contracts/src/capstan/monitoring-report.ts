/**
 * The drift report document (`POST /api/capstan/v1/monitoring/drift/report`, `capstan monitor
 * report --json`): shaped like Evidently's `Report.json()` for a report of `DatasetDriftMetric` and
 * `DataDriftTable`, so scripts and dashboards written against Evidently's output read it unchanged.
 * What Evidently does not have is under `capstan`.
 */
import type { MonitoringNumber } from './monitoring.js';

export const MONITORING_REPORT_ROUTES = {
  driftReport: { method: 'POST', path: '/monitoring/drift/report' },
} as const;

/** A category value as it was in the data, or the label of the bucket that folds the rarest ones. */
export type EvidentlyCategory = number | string | boolean;

/**
 * Evidently's `small_distribution`. Numerical columns: `x` holds the bin edges (one more than `y`)
 * and `y` the density (share / bin width, numpy's `density=True`); Capstan uses the same edges on
 * both sides. Categorical columns: `x` holds the categories and `y` their counts.
 */
export interface EvidentlySmallDistribution {
  x: MonitoringNumber[] | EvidentlyCategory[];
  y: MonitoringNumber[];
}

export interface EvidentlyColumnDrift {
  column_name: string;
  /** Evidently's spelling of the column kind. */
  column_type: 'num' | 'cat';
  /** Evidently's display name of the test, e.g. 'K-S p_value', 'Wasserstein distance (normed)'. */
  stattest_name: string;
  stattest_threshold: number;
  drift_score: MonitoringNumber;
  drift_detected: boolean;
  current: { small_distribution: EvidentlySmallDistribution };
  reference: { small_distribution: EvidentlySmallDistribution };
}

export interface EvidentlyDatasetDriftMetric {
  metric: 'DatasetDriftMetric';
  result: {
    /** The share of drifted columns at which the dataset counts as drifted. */
    drift_share: number;
    number_of_columns: number;
    number_of_drifted_columns: number;
    share_of_drifted_columns: number;
    dataset_drift: boolean;
  };
}

export interface EvidentlyDataDriftTable {
  metric: 'DataDriftTable';
  result: {
    number_of_columns: number;
    number_of_drifted_columns: number;
    share_of_drifted_columns: number;
    dataset_drift: boolean;
    drift_by_columns: Record<string, EvidentlyColumnDrift>;
  };
}

/** A column that was not tested (e.g. no values on one side once nulls, NaN and ±Infinity are dropped). */
export interface SkippedDriftColumn {
  column: string;
  reason: string;
}

export interface DriftReportDocument {
  /** When the report was made, ISO 8601. */
  timestamp: string;
  metrics: [EvidentlyDatasetDriftMetric, EvidentlyDataDriftTable];
  /** Capstan's additions; Evidently readers ignore them. */
  capstan: {
    title: string;
    reference_rows: number;
    current_rows: number;
    /** Not counted in `number_of_columns`. */
    skipped_columns: SkippedDriftColumn[];
  };
}
