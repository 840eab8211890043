/**
 * Monitors (`/api/capstan/v1/monitoring/monitors/...`): a deployment watched on a schedule, every
 * run's result stored, alerts sent when a check fails and again when it recovers.
 */
import type { DriftReport, MonitoringNumber } from './monitoring.js';
import type { PerformanceReport, PerformanceRequest } from './monitoring-performance.js';

/** What the current window is compared with. */
export type MonitorReference =
  /** A pinned production window of the same deployment (epoch ms, `from` inclusive, `to` exclusive). */
  | { type: 'window'; from: number; to: number }
  /**
   * The dataset the served version's run logged as its training input (`mlflow.data.context` =
   * `training`), read from the run's artifacts (CSV or JSON records).
   */
  | { type: 'training_dataset' }
  /**
   * The merge of this monitor's own stored run profiles whose windows lie in [from, to) (epoch ms);
   * `data_drift` then runs on profiles (approximate beyond small windows, see monitoring.md).
   */
  | { type: 'profiles'; from: number; to: number };

/** Drift options of one check; names follow the drift API. */
export interface MonitorDriftCheck {
  columns?: string[];
  stattest?: string;
  numerical_stattest?: string;
  categorical_stattest?: string;
  per_column_stattest?: Record<string, string>;
  stattest_threshold?: number;
  per_column_stattest_threshold?: Record<string, number>;
  drift_share?: number;
}

/** Metrics a performance check can hold to a bound. */
export type MonitorPerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'pr_auc' | 'log_loss' | 'mae' | 'rmse' | 'mape' | 'r2';

/**
 * Model quality from labels posted later (see the Performance API). Labels arrive after the
 * predictions, so the check judges the window that ended `label_delay_seconds` ago.
 */
export interface MonitorPerformanceCheck extends Pick<PerformanceRequest, 'task' | 'prediction' | 'scores' | 'positive_label' | 'classes' | 'average'> {
  /** Default 0: the same window as the other checks. */
  label_delay_seconds?: number;
  /** Fewer labelled rows make the check SKIPPED. Default 30. */
  min_labelled_rows?: number;
  /** Each metric's bound: the check FAILs when one is outside it. */
  thresholds: Partial<Record<MonitorPerformanceMetric, { gte?: number; lte?: number }>>;
}

export interface MonitorChecks {
  /** Drift of the inputs (data drift). */
  data_drift?: MonitorDriftCheck;
  /** Drift of the outputs (prediction drift); needs a window reference (training data holds no outputs). */
  prediction_drift?: MonitorDriftCheck;
  /** Data-quality checks with reference-derived conditions; fails when any check fails. */
  data_quality?: { checks?: string[] };
  /** Model quality from labels posted later, held to thresholds. */
  performance?: MonitorPerformanceCheck;
}

/** Where alerts go. A Slack incoming webhook gets Slack's JSON; a generic webhook gets Capstan's JSON, signed. */
export type AlertChannel = { type: 'slack'; url: string } | { type: 'webhook'; url: string; secret: string };

/** An alert channel as the API shows it: never with its secret. */
export type AlertChannelView = { type: 'slack'; url: string } | { type: 'webhook'; url: string };

interface MonitorSpecBase {
  /** Time between scheduled runs. */
  interval_seconds: number;
  /** A current side with fewer rows is SKIPPED, not judged. Default 30. */
  min_rows?: number;
  checks: MonitorChecks;
  alerts?: AlertChannel[];
  /** A paused monitor keeps its results but is not scheduled. Default true. */
  enabled?: boolean;
}

/** A monitor of a deployment's logged traffic. */
export interface DeploymentMonitorSpec extends MonitorSpecBase {
  /** The deployment whose logged traffic is watched. */
  deployment: string;
  reference: MonitorReference;
  /** Length of the current window, ending when the run starts. */
  window_seconds: number;
  datasets?: never;
}

/**
 * Two stored files, each in a run's artifacts (`runs:/<run_id>/<path>`; CSV, Parquet or JSON),
 * read again at every run: a file replaced by a newer upload (a nightly batch, say) is judged anew.
 */
export interface MonitorDatasets {
  reference: string;
  current: string;
}

/** A monitor of a pair of stored datasets: data drift and data quality of `current` against `reference`. */
export interface DatasetMonitorSpec extends MonitorSpecBase {
  datasets: MonitorDatasets;
  deployment?: never;
  reference?: never;
  window_seconds?: never;
}

export type MonitorSpec = DeploymentMonitorSpec | DatasetMonitorSpec;

export type MonitorManifest = MonitorSpec & { name: string; description?: string };

type WithoutAlerts<T> = T extends unknown ? Omit<T, 'alerts'> : never;

export type Monitor = WithoutAlerts<MonitorSpec> & {
  name: string;
  description: string | null;
  workspace: string;
  alerts: AlertChannelView[];
  enabled: boolean;
  min_rows: number;
  /** When the scheduler runs it next (epoch ms). */
  next_run_at: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
};

export type CheckStatus = 'SUCCESS' | 'FAIL' | 'WARNING' | 'ERROR' | 'SKIPPED';

export type MonitorCheckName = 'data_drift' | 'prediction_drift' | 'data_quality' | 'performance';

export interface MonitorCheckResult {
  check: MonitorCheckName;
  status: CheckStatus;
  /** A sentence a person can act on. */
  message: string;
  /** Drift checks: the drift report (Evidently's per-column fields). */
  drift?: DriftReport;
  /** Data-quality checks: each check's name, status and sentence. */
  quality?: { name: string; column?: string; status: CheckStatus; message: string }[];
  /** Performance checks: the performance report of the judged window. */
  performance?: PerformanceReport;
}

/** `ok`: every check passed or was skipped; `alert`: a check failed; `error`: the run itself could not complete. */
export type MonitorRunStatus = 'ok' | 'alert' | 'skipped' | 'error';

export interface MonitorRunSummary {
  run_id: string;
  monitor: string;
  /** `schedule` or the username that asked for a run. */
  trigger: string;
  status: MonitorRunStatus;
  started_at: number;
  finished_at: number;
  window: { from: number; to: number };
  reference_rows: number;
  current_rows: number;
  /** Each check's status, by check name. */
  checks: Partial<Record<MonitorCheckName, CheckStatus>>;
  /** Why the run is `error` or `skipped`. */
  message?: string;
}

export interface MonitorRun extends MonitorRunSummary {
  results: MonitorCheckResult[];
}

export type MonitorAlertEvent = 'monitor.alert.firing' | 'monitor.alert.resolved';

/** The generic webhook's body (signed like registry webhooks: `X-Capstan-Signature`). */
export interface MonitorAlertPayload {
  delivery_id: string;
  event: MonitorAlertEvent;
  occurred_at: number;
  monitor: string;
  /** The deployment watched; null for a dataset-pair monitor (then `datasets` says which). */
  deployment: string | null;
  datasets?: MonitorDatasets;
  check: MonitorCheckName;
  status: CheckStatus;
  message: string;
  run_id: string;
  window: { from: number; to: number };
  /** For drift checks: the drifted columns with their scores. */
  drifted_columns?: { column_name: string; stattest_name: string; drift_score: MonitoringNumber; stattest_threshold: number }[];
}

export interface MonitorAlertDelivery {
  delivery_id: string;
  monitor: string;
  event: MonitorAlertEvent;
  check: MonitorCheckName;
  channel: AlertChannelView;
  run_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: number;
  completed_at: number | null;
}

export const MONITOR_ROUTES = {
  list: { method: 'GET', path: '/monitoring/monitors' },
  create: { method: 'POST', path: '/monitoring/monitors' },
  get: { method: 'GET', path: '/monitoring/monitors/{name}' },
  replace: { method: 'PUT', path: '/monitoring/monitors/{name}' },
  delete: { method: 'DELETE', path: '/monitoring/monitors/{name}' },
  run: { method: 'POST', path: '/monitoring/monitors/{name}/run' },
  runs: { method: 'GET', path: '/monitoring/monitors/{name}/runs' },
  getRun: { method: 'GET', path: '/monitoring/monitors/{name}/runs/{run_id}' },
  alerts: { method: 'GET', path: '/monitoring/monitors/{name}/alerts' },
  profile: { method: 'GET', path: '/monitoring/monitors/{name}/profile' },
} as const;
