/**
 * The serving module's light entry point for writing the inference log elsewhere than on the
 * request thread: the SQL sink and the record type, without the rest of the module (the app runs
 * this sink in a worker thread for SQLite, whose inserts would otherwise block requests).
 */
export { sqlInferenceLogSink } from './observability/sql-inference-log-sink.js';
export type { InferenceLogSink } from './observability/inference-log-writer.js';
export type { InferenceRecord } from './observability/inference-record.js';
export type { InferenceLogTables } from './observability/tables.js';
