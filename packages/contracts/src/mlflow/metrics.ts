import type { Int64 } from './common.js';

/** One logged value of a metric (proto `Metric`). */
export interface Metric {
  /** Metric name; at most 250 characters. */
  key: string;
  /**
   * The value. Proto-JSON writes non-finite doubles as the strings `"NaN"`, `"Infinity"` and
   * `"-Infinity"`, so readers must accept those too.
   */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  /** When the value was recorded, Unix epoch milliseconds. */
  timestamp: Int64;
  /** Training step; defaults to 0. */
  step?: Int64;
  /** Name of the dataset the metric was computed on (MLflow 3). */
  dataset_name?: string;
  /** Digest of the dataset the metric was computed on (MLflow 3). */
  dataset_digest?: string;
  /** ID of the logged model the metric belongs to (MLflow 3). */
  model_id?: string;
  /** ID of the run that logged the metric (MLflow 3). */
  run_id?: string;
}

/** A metric value together with the run that logged it (proto `MetricWithRunId`). */
export interface MetricWithRunId {
  /** Metric name. */
  key: string;
  /** The value; non-finite values arrive as strings, as for {@link Metric}. */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  /** When the value was recorded, Unix epoch milliseconds. */
  timestamp: Int64;
  /** Training step; defaults to 0. */
  step?: Int64;
  /** ID of the run that logged the value. */
  run_id: string;
}

/** GET metrics/get-history. */
export interface GetMetricHistoryRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`; MLflow clients still send both. */
  run_uuid?: string;
  /** Name of the metric. */
  metric_key: string;
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
  /** Page size; when absent the whole history is returned in one response. */
  max_results?: number;
}
export interface GetMetricHistoryResponse {
  /** Every logged value of the metric, in this page; omitted when there are none. */
  metrics?: Metric[];
  /** Token for the next page; absent when there are no more. */
  next_page_token?: string;
}

/** GET metrics/get-history-bulk-interval. */
export interface GetMetricHistoryBulkIntervalRequest {
  /** IDs of the runs to read (repeated query parameter). */
  run_ids: string[];
  /** Name of the metric. */
  metric_key: string;
  /** Only steps at or after this one; must be set together with `end_step`. */
  start_step?: number;
  /** Only steps at or before this one; must be set together with `start_step`. */
  end_step?: number;
  /** Maximum points sampled per run; must be positive. */
  max_results?: number;
}
export interface GetMetricHistoryBulkIntervalResponse {
  /** Sampled values of the metric across the requested runs; omitted when there are none. */
  metrics?: MetricWithRunId[];
}
