import type { ColumnDrift, DriftReport } from '@capstan/contracts';
import type { ColumnDriftResult, DatasetDriftResult } from '../drift/index.js';
import { wireNumber } from '../wire-number.js';

/**
 * A drift result on the wire, with the field names of Evidently's data drift table
 * (`column_name`, `column_type`, `stattest_name`, `stattest_threshold`, `drift_score`,
 * `drift_detected`) and its dataset figures, so tools that read Evidently's output keep working.
 */
export function driftReportToWire(result: DatasetDriftResult, rows: { reference: number; current: number }): DriftReport {
  return {
    columns: result.columns.map(columnToWire),
    number_of_columns: result.numberOfColumns,
    number_of_drifted_columns: result.numberOfDriftedColumns,
    share_of_drifted_columns: result.shareOfDriftedColumns,
    drift_share: result.driftShare,
    dataset_drift: result.datasetDrift,
    reference_rows: rows.reference,
    current_rows: rows.current,
  };
}

function columnToWire(c: ColumnDriftResult): ColumnDrift {
  return {
    column_name: c.column,
    column_type: c.columnType,
    stattest: c.stattest,
    stattest_name: c.stattestDisplayName,
    stattest_threshold: c.threshold,
    score_kind: c.scoreKind,
    drift_score: wireNumber(c.score),
    ...(c.statistic === undefined ? {} : { statistic: wireNumber(c.statistic) }),
    drift_detected: c.drifted,
    reference_size: c.referenceSize,
    current_size: c.currentSize,
    ...(c.warning === undefined ? {} : { warning: c.warning }),
  };
}
