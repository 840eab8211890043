import { DriftError } from './errors.js';
import type { ColumnDriftResult, ColumnType, DatasetDriftOptions, StatTestName } from './types.js';

const DEFAULT_DRIFT_SHARE = 0.5;

/** Which columns two datasets hold, however they are stored (samples or profiles). */
export interface DatasetSides {
  readonly referenceColumns: readonly string[];
  hasReference(name: string): boolean;
  hasCurrent(name: string): boolean;
}

/** What a column's test is chosen by: its type, then Evidently's precedence of options. */
export type ColumnChoice = (columnType: ColumnType) => { stattest?: StatTestName; threshold?: number };

/**
 * Evidently's dataset drift over columns judged one by one, for samples and for profiles alike:
 * the columns compared (the options' list, else every reference column current also has), each
 * column's test and threshold by `_calculate_stattest` / `_calculate_threshold` precedence (per
 * column, else per type, else for all), and the dataset verdict (share drifted >= drift_share).
 */
export function datasetDrift<R extends ColumnDriftResult>(
  sides: DatasetSides,
  options: DatasetDriftOptions,
  judge: (name: string, choose: ColumnChoice) => R,
): { columns: R[]; numberOfColumns: number; numberOfDriftedColumns: number; shareOfDriftedColumns: number; driftShare: number; datasetDrift: boolean } {
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!Number.isFinite(driftShare) || driftShare < 0 || driftShare > 1) {
    throw new DriftError(`driftShare must be between 0 and 1, got ${driftShare}.`);
  }
  const names = options.columns ?? sides.referenceColumns.filter((name) => sides.hasCurrent(name));
  for (const name of names) {
    if (!sides.hasCurrent(name)) throw new DriftError(`Cannot find column '${name}' in current dataset`);
    if (!sides.hasReference(name)) throw new DriftError(`Cannot find column '${name}' in reference dataset`);
  }
  if (names.length === 0) throw new DriftError('There are no columns to compare.');
  const columns = names.map((name) => judge(name, (columnType) => ({ stattest: stattestFor(name, columnType, options), threshold: thresholdFor(name, columnType, options) })));
  const numberOfDriftedColumns = columns.filter((c) => c.drifted).length;
  const shareOfDriftedColumns = numberOfDriftedColumns / columns.length;
  return { columns, numberOfColumns: columns.length, numberOfDriftedColumns, shareOfDriftedColumns, driftShare, datasetDrift: shareOfDriftedColumns >= driftShare };
}

function byType<T>(columnType: ColumnType, numerical: T | undefined, categorical: T | undefined): T | undefined {
  return columnType === 'numerical' ? numerical : columnType === 'categorical' ? categorical : undefined;
}

function stattestFor(column: string, columnType: ColumnType, options: DatasetDriftOptions): StatTestName | undefined {
  return options.perColumnStattest?.[column] ?? byType(columnType, options.numericalStattest, options.categoricalStattest) ?? options.stattest;
}

function thresholdFor(column: string, columnType: ColumnType, options: DatasetDriftOptions): number | undefined {
  return options.perColumnThreshold?.[column] ?? byType(columnType, options.numericalThreshold, options.categoricalThreshold) ?? options.threshold;
}
