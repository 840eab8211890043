/**
 * Per-column and per-dataset characteristics (Evidently's ColumnSummaryMetric and
 * DatasetSummaryMetric). Checks compare these numbers; they are also returned as they are.
 *
 * Statistics follow pandas: mean over present values, std with ddof = 1 (pandas' default, which
 * Evidently calls), nunique without missing values, and the most common value's share over all
 * rows. Sums use numpy's pairwise order from the drift library.
 */
import { compareCategories } from '../drift/samples.js';
import { mean, squaredDeviationSum } from '../drift/numeric/pairwise-sum.js';
import type { TestableColumnType } from '../drift/types.js';
import { duplicatedColumns, duplicatedRows } from './duplicates.js';
import type { PreparedColumn, PreparedDataset } from './table.js';
import type { Category, ColumnSummary, DatasetSummary } from './types.js';

interface NumberStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std?: number;
}

/** The present values as numbers, or undefined when any of them is not a number. */
export function numbersOf(column: PreparedColumn): Float64Array | undefined {
  const out = new Float64Array(column.present.length);
  for (let i = 0; i < column.present.length; i++) {
    const value = column.present[i];
    if (typeof value !== 'number') return undefined;
    out[i] = value;
  }
  return out;
}

function numberStats(values: Float64Array): NumberStats | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const centre = mean(values);
  if (values.length < 2) return { min, max, mean: centre };
  return { min, max, mean: centre, std: Math.sqrt(squaredDeviationSum(values, centre) / (values.length - 1)) };
}

/** Counts per present value; ties for the most common value go to the smallest in sort order. */
function mostCommon(present: readonly Category[]): { value: Category | null; count: number; unique: number } {
  const counts = new Map<Category, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  let value: Category | null = null;
  let count = 0;
  for (const [candidate, n] of counts) {
    if (n > count || (n === count && value !== null && compareCategories(candidate, value) < 0)) {
      value = candidate;
      count = n;
    }
  }
  return { value, count, unique: counts.size };
}

export function newCategories(reference: PreparedColumn, current: PreparedColumn): Category[] {
  const known = new Set(reference.present);
  return [...new Set(current.present.filter((v) => !known.has(v)))].sort(compareCategories);
}

export function summarizeColumn(
  column: PreparedColumn,
  rowCount: number,
  type: TestableColumnType,
  reference?: PreparedColumn,
): ColumnSummary {
  const common = mostCommon(column.present);
  const numbers = type === 'numerical' ? numbersOf(column) : undefined;
  const stats = numbers ? numberStats(numbers) : undefined;
  return {
    column: column.name,
    type,
    rowCount,
    missingCount: column.missingCount,
    missingShare: column.missingCount / rowCount,
    uniqueCount: common.unique,
    mostCommonValue: common.value,
    mostCommonShare: common.count / rowCount,
    ...stats,
    ...(reference && type === 'categorical' ? { newCategories: newCategories(reference, column) } : {}),
  };
}

export function summarizeDataset(
  dataset: PreparedDataset,
  typeOf: (column: string) => TestableColumnType,
  reference?: PreparedDataset,
): DatasetSummary {
  const columns = dataset.names.map((name) =>
    summarizeColumn(dataset.columns.get(name) as PreparedColumn, dataset.rowCount, typeOf(name), reference?.columns.get(name)),
  );
  const missingCount = columns.reduce((sum, c) => sum + c.missingCount, 0);
  return {
    rowCount: dataset.rowCount,
    columnCount: dataset.names.length,
    missingCount,
    missingShare: missingCount / (dataset.rowCount * dataset.names.length),
    duplicatedRows: duplicatedRows(dataset),
    duplicatedColumns: duplicatedColumns(dataset),
    constantColumns: columns.filter((c) => c.uniqueCount <= 1).length,
    columns,
  };
}
