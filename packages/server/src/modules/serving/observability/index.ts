/**
 * Serving observability: Prometheus metrics, the inference log (sampled predictions written off
 * the request path) and the ground-truth labels joined to it later.
 */
export { createServingMetrics, outcomeOf, type InferenceLogDropReason, type RequestMetrics, type RequestOutcome, type ServedTarget, type ServingMetrics, type VersionMetrics } from './serving-metrics.js';
export { InferenceLogWriter, type Every, type InferenceLogSink, type InferenceLogStats, type InferenceLogWriterOptions, type RecordOutcome } from './inference-log-writer.js';
export { encodeColumns, type ColumnValues, type InferenceRecord } from './inference-record.js';
export { isSampled } from './sample-request.js';
export { tensorColumns, type TensorColumns } from './tensor-columns.js';
export { sqlInferenceLogSink } from './sql-inference-log-sink.js';
export { saveLabels, type GroundTruthLabel } from './label-store.js';
export { readInferenceWindow, type InferenceWindowPage, type InferenceWindowQuery, type LabeledInferenceRecord, type WindowPosition } from './inference-window.js';
export { registerLabelRoutes, type LabelRouteDeps } from './http/label-routes.js';
export { inferenceLogSchema } from './migrations/0010-inference-log.js';
export type { InferenceLogTables } from './tables.js';
