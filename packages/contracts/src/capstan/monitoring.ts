/**
 * Monitoring API wire types (`/api/capstan/v1/monitoring/...`), snake_case like the rest of the API.
 */

/** A cell of a column: what JSON carries (NaN and ±Infinity may be sent as "NaN", "Infinity", "-Infinity"). */
export type MonitoringCell = number | string | boolean | null;

/** The data one side of a comparison is taken from: columns given inline, or a deployment's logged traffic. */
export type DriftSource =
  | { columns: Record<string, MonitoringCell[]> }
  | {
      /** A deployment whose inference log provides the rows. */
      deployment: string;
      /** Epoch ms, inclusive. */
      from: number;
      /** Epoch ms, exclusive. */
      to: number;
      /** `inputs` (data drift, the default), `outputs` (prediction drift) or `labels` (target drift: the labels posted for the window's requests, as the column `label`). */
      part?: 'inputs' | 'outputs' | 'labels';
    };

export interface DriftReportRequest {
  reference: DriftSource;
  current: DriftSource;
  /** Columns to compare; default every reference column current also has. */
  columns?: string[];
  column_types?: Record<string, 'numerical' | 'categorical'>;
  /** A test for every column (Evidently's names: ks, chisquare, z, jensenshannon, wasserstein, psi, ...). */
  stattest?: string;
  numerical_stattest?: string;
  categorical_stattest?: string;
  per_column_stattest?: Record<string, string>;
  stattest_threshold?: number;
  numerical_stattest_threshold?: number;
  categorical_stattest_threshold?: number;
  per_column_stattest_threshold?: Record<string, number>;
  /** The dataset drifts when at least this share of columns drifts. Default 0.5. */
  drift_share?: number;
}

/** JSON has no NaN or Infinity: a non-finite figure is sent as its proto-JSON spelling. */
export type MonitoringNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A column's drift, with the field names of Evidently's data drift table. */
export interface ColumnDrift {
  column_name: string;
  column_type: 'numerical' | 'categorical';
  stattest: string;
  /** Evidently's display name of the test, e.g. `K-S p_value`. */
  stattest_name: string;
  stattest_threshold: number;
  score_kind: 'p_value' | 'distance';
  drift_score: MonitoringNumber;
  /** The statistic behind a p-value (chi-square is Infinity when current holds only unseen categories). */
  statistic?: MonitoringNumber;
  drift_detected: boolean;
  reference_size: number;
  current_size: number;
  warning?: string;
}

export interface DriftReport {
  columns: ColumnDrift[];
  number_of_columns: number;
  number_of_drifted_columns: number;
  share_of_drifted_columns: number;
  drift_share: number;
  dataset_drift: boolean;
  /** Rows read for each side (for a deployment window, the logged rows in it). */
  reference_rows: number;
  current_rows: number;
}

export interface DriftReportResponse {
  drift: DriftReport;
}

export const MONITORING_ROUTES = {
  drift: { method: 'POST', path: '/monitoring/drift' },
} as const;
