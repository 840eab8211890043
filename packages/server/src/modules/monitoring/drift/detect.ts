/**
 * The public entry points: one column (Evidently's get_one_column_drift) and a dataset (its
 * DataDriftTable / DatasetDriftMetric: per-column results, share of drifted columns, dataset drift
 * when share >= drift_share).
 *
 * Order of checks follows Evidently: type, cleaning and the empty-column check, the numerical-values
 * check, then the test (default choice or the named one, which must fit the column type), then the
 * threshold (the test's default unless overridden).
 */
import { inferColumnTypeOfScans } from './column-type.js';
import { checkThreshold, testableType } from './column-checks.js';
import { datasetDrift } from './dataset-drift.js';
import { defaultStatTest, statTestByName } from './registry.js';
import { SamplePair } from './samples.js';
import { scanCells, type CellScan } from './scan.js';
import { columnResult } from './stattests/definition.js';
import { Workspace } from './workspace.js';
import type {
  ColumnDriftOptions,
  ColumnDriftResult,
  DatasetDriftOptions,
  DatasetDriftResult,
  DriftInputColumn,
  DriftInputColumns,
} from './types.js';


/** Each side read once, into the workspace's buffers for this column. */
function scanPair(reference: DriftInputColumn, current: DriftInputColumn, workspace: Workspace): [CellScan, CellScan] {
  return [scanCells(reference, { workspace, slot: 'reference' }), scanCells(current, { workspace, slot: 'current' })];
}

export function detectColumnDrift(
  reference: DriftInputColumn,
  current: DriftInputColumn,
  options: ColumnDriftOptions = {},
): ColumnDriftResult {
  const workspace = new Workspace();
  return columnDrift(scanPair(reference, current, workspace), options, workspace);
}

function columnDrift([reference, current]: [CellScan, CellScan], options: ColumnDriftOptions, workspace: Workspace): ColumnDriftResult {
  const column = options.column ?? 'column';
  checkThreshold('threshold', options.threshold);
  const seed = options.seed ?? 0;
  const columnType = testableType(column, options.columnType ?? inferColumnTypeOfScans(reference, current));
  const pair = new SamplePair(column, columnType, reference, current, workspace);
  const test = options.stattest === undefined ? defaultStatTest(pair) : statTestByName(options.stattest, columnType);
  const threshold = options.threshold ?? test.defaultThreshold;
  return columnResult(column, columnType, test, threshold, test.run(pair, { seed }), pair);
}

export function detectDatasetDrift(
  reference: DriftInputColumns,
  current: DriftInputColumns,
  options: DatasetDriftOptions = {},
): DatasetDriftResult {
  const has = (columns: DriftInputColumns, name: string): boolean => Object.hasOwn(columns, name);
  const sides = { referenceColumns: Object.keys(reference), hasReference: (name: string) => has(reference, name), hasCurrent: (name: string) => has(current, name) };
  // One workspace for all columns: column by column, its buffers are reused instead of allocated.
  const workspace = new Workspace();
  return datasetDrift(sides, options, (name, choose) => {
    const scans = scanPair(reference[name], current[name], workspace);
    const columnType = options.columnTypes?.[name] ?? inferColumnTypeOfScans(...scans);
    return columnDrift(scans, { column: name, columnType, ...choose(columnType), seed: options.seed }, workspace);
  });
}
