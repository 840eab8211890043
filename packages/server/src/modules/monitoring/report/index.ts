/**
 * Drift reports: the drift library's verdicts with each column's distributions, rendered as
 * Evidently-shaped JSON or as one self-contained HTML file. Pure functions over columns already
 * read (the API resolves its sources, the CLI reads files with DuckDB). See README.md.
 *
 * ```ts
 * const report = buildDriftReport(reference, current, { generatedAt: new Date(), title: 'Churn model' });
 * evidentlyReport(report); // { timestamp, metrics: [DatasetDriftMetric, DataDriftTable], capstan }
 * htmlReport(report);      // '<!doctype html>...'
 * ```
 */
export { buildDriftReport, type DriftReport, type DriftReportOptions, type SkippedColumn, type TestedColumn } from './build-report.js';
export {
  categoricalDistribution,
  columnDistribution,
  driftDistributions,
  numericalDistribution,
  type CategoricalDistribution,
  type Category,
  type ColumnDistribution,
  type DistributionOptions,
  type NumericalDistribution,
  type SideCounts,
  type SkippedDistribution,
} from './distributions.js';
export { evidentlyReport } from './evidently-json.js';
export { htmlReport } from './html-report.js';
