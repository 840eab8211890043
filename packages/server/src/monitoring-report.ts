/**
 * The drift report library's entry point for `capstan monitor report`, apart from the index: the
 * CLI compares two files offline and needs the statistics and the renderers only, not the
 * platform the index loads (stores, S3 and PostgreSQL clients, every module).
 */
export { buildDriftReport, evidentlyReport, htmlReport, type DriftReport, type DriftReportOptions } from './modules/monitoring/report/index.js';
export { DriftError, STAT_TEST_NAMES, type ColumnType, type DriftColumns, type DriftValue, type StatTestName } from './modules/monitoring/drift/index.js';
