import type { Generated } from 'kysely';

/**
 * The inference log's tables as Kysely sees them. Inputs, outputs and labels are JSON text: they
 * are read whole by monitoring, never queried into, and text stores the same on both dialects.
 * Times are epoch milliseconds.
 */
export interface InferenceLogTables {
  inference_log: InferenceLogTable;
  inference_labels: InferenceLabelsTable;
}

export interface InferenceLogTable {
  id: Generated<number>;
  request_id: string;
  deployment: string;
  model_name: string;
  version: string;
  at: number;
  latency_ms: number;
  rows: number;
  /** `{column: values[]}` (see inference-record.ts for how values are encoded). */
  inputs: string;
  outputs: string;
}

/** The ground truth for a request, posted after the fact; a later post for the same request replaces it. */
export interface InferenceLabelsTable {
  request_id: string;
  deployment: string;
  /** Any JSON value: a class, a number, an object. */
  label: string;
  /** When the label was posted. */
  at: number;
}
