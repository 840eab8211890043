/**
 * Drift statistics for the monitoring module: Evidently 0.4-0.6's column and dataset drift
 * decisions with scipy's numbers, as pure functions. See README.md for the design.
 */
export { detectColumnDrift, detectDatasetDrift } from './detect.js';
export { inferColumnType } from './column-type.js';
export { DriftError } from './errors.js';
export { STAT_TEST_NAMES } from './types.js';
export type {
  ColumnDriftOptions,
  ColumnDriftResult,
  ColumnType,
  DatasetDriftOptions,
  DatasetDriftResult,
  DriftColumn,
  DriftColumns,
  DriftInputColumn,
  DriftInputColumns,
  DriftValue,
  NumericDriftColumn,
  ScoreKind,
  StatTestName,
  TestableColumnType,
} from './types.js';
