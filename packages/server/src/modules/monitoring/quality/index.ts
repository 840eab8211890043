/**
 * Data-quality checks for the monitoring module: Evidently 0.4's data-integrity and data-quality
 * tests with their reference-derived default conditions, as pure functions. See README.md.
 */
export { approx } from './condition.js';
export { QualityError } from './errors.js';
export { runQualityChecks } from './run.js';
export { CHECK_IDS, SIGNATURE_TYPES } from './types.js';
export type {
  Approx,
  Category,
  CheckId,
  CheckOptions,
  ChecksOptions,
  ColumnSummary,
  Condition,
  DatasetSummary,
  QualityColumn,
  QualityColumns,
  QualityInput,
  QualityReport,
  QualityTestResult,
  QualityValue,
  SignatureColumn,
  SignatureType,
  TestStatus,
  Threshold,
} from './types.js';
