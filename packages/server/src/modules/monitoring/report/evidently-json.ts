/**
 * The report as Evidently writes it (`Report.json()` of a report holding DatasetDriftMetric and
 * DataDriftTable, Evidently 0.4-0.6), so dashboards and scripts that read Evidently's files keep
 * working: `metrics[i].metric` names the metric, `metrics[i].result` holds its figures, and each
 * column of `drift_by_columns` carries Evidently's field names and its `num`/`cat` spelling.
 *
 * small_distribution follows Evidently's meaning of x and y (numerical: bin edges and densities as
 * np.histogram(density=True) gives; categorical: categories and counts) but is built from Capstan's
 * report distributions: the same edges on both sides and at most the top categories plus one
 * "(other: N categories)" bucket. Capstan's additions (title, row counts, skipped columns) sit under
 * `capstan`, which Evidently readers ignore.
 */
import type { DriftReportDocument, EvidentlyColumnDrift, EvidentlySmallDistribution, MonitoringNumber } from '@capstan/contracts';
import type { TestedColumn, DriftReport } from './build-report.js';
import { otherBucketLabel, type CategoricalDistribution, type NumericalDistribution, type SideCounts } from './distributions.js';
import { wireNumber } from '../wire-number.js';

const EVIDENTLY_COLUMN_TYPE = { numerical: 'num', categorical: 'cat' } as const;


function numericalSmall(edges: Float64Array, side: SideCounts): EvidentlySmallDistribution {
  const y: MonitoringNumber[] = [];
  for (let i = 0; i < side.counts.length; i++) y.push(wireNumber(side.shares[i]! / (edges[i + 1]! - edges[i]!)));
  return { x: Array.from(edges, (edge) => wireNumber(edge)), y };
}

function categoricalSmall(d: CategoricalDistribution, side: SideCounts): EvidentlySmallDistribution {
  const x = d.otherCategories > 0 ? [...d.categories, otherBucketLabel(d.otherCategories)] : [...d.categories];
  return { x, y: Array.from(side.counts) };
}

function smallDistributions(d: NumericalDistribution | CategoricalDistribution) {
  const of = (side: SideCounts) => (d.kind === 'numerical' ? numericalSmall(d.edges, side) : categoricalSmall(d, side));
  return { reference: { small_distribution: of(d.reference) }, current: { small_distribution: of(d.current) } };
}

function columnDrift(column: TestedColumn): EvidentlyColumnDrift {
  const { drift } = column;
  const { reference, current } = smallDistributions(column.distribution);
  return {
    column_name: column.name,
    column_type: EVIDENTLY_COLUMN_TYPE[drift.columnType],
    stattest_name: drift.stattestDisplayName,
    stattest_threshold: drift.threshold,
    drift_score: wireNumber(drift.score),
    drift_detected: drift.drifted,
    // Evidently writes current before reference.
    current,
    reference,
  };
}

export function evidentlyReport(report: DriftReport): DriftReportDocument {
  const { result } = report;
  const dataset = {
    number_of_columns: result.numberOfColumns,
    number_of_drifted_columns: result.numberOfDriftedColumns,
    share_of_drifted_columns: result.shareOfDriftedColumns,
    dataset_drift: result.datasetDrift,
  };
  // Object.fromEntries keeps a column named "__proto__" as a plain key.
  const driftByColumns = Object.fromEntries(report.columns.map((c) => [c.name, columnDrift(c)] as const));
  return {
    timestamp: report.generatedAt.toISOString(),
    metrics: [
      { metric: 'DatasetDriftMetric', result: { drift_share: result.driftShare, ...dataset } },
      { metric: 'DataDriftTable', result: { ...dataset, drift_by_columns: driftByColumns } },
    ],
    capstan: {
      title: report.title,
      reference_rows: report.referenceRows,
      current_rows: report.currentRows,
      skipped_columns: report.skipped.map((s) => ({ column: s.name, reason: s.reason })),
    },
  };
}
