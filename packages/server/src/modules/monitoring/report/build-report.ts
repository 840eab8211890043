/**
 * A drift report's content: the drift library's verdicts plus what is needed to draw each column,
 * independent of how it is rendered (Evidently-shaped JSON, HTML). Pure: the time of the report
 * and the row counts are passed in, nothing is read.
 */
import { detectDatasetDrift, DriftError, type ColumnDriftResult, type DatasetDriftOptions, type DatasetDriftResult, type DriftColumn, type DriftColumns } from '../drift/index.js';
import { columnDistribution, type CategoricalDistribution, type DistributionOptions, type NumericalDistribution } from './distributions.js';

export interface DriftReportOptions extends DatasetDriftOptions, DistributionOptions {
  /** When the report was made (the library reads no clock). */
  readonly generatedAt: Date;
  /** Default 'Data drift report'. */
  readonly title?: string;
  /** Rows on each side; default the longest column of that side. */
  readonly referenceRows?: number;
  readonly currentRows?: number;
}

export interface TestedColumn {
  readonly name: string;
  readonly drift: ColumnDriftResult;
  readonly distribution: NumericalDistribution | CategoricalDistribution;
}

export interface SkippedColumn {
  readonly name: string;
  readonly reason: string;
}

export interface DriftReport {
  readonly title: string;
  readonly generatedAt: Date;
  readonly referenceRows: number;
  readonly currentRows: number;
  /** The drift library's result over the tested columns. */
  readonly result: DatasetDriftResult;
  /** In the order the drift library tested them. */
  readonly columns: readonly TestedColumn[];
  /** Columns present on both sides but left out, with why. */
  readonly skipped: readonly SkippedColumn[];
}

const DEFAULT_TITLE = 'Data drift report';

/** Whether a column keeps at least one cell once null, NaN and ±Infinity are dropped (stops at the first). */
function hasValue(column: DriftColumn): boolean {
  for (let i = 0; i < column.length; i++) {
    const cell = column[i];
    if (cell !== null && !(typeof cell === 'number' && cell - cell !== 0)) return true;
  }
  return false;
}

function longest(columns: DriftColumns): number {
  let rows = 0;
  for (const column of Object.values(columns)) rows = Math.max(rows, column.length);
  return rows;
}

/**
 * Tests the columns and prepares their charts. A column with no value on one side is skipped with
 * a reason instead of failing the whole report, as the drift API does (Evidently raises): one empty
 * feature in a 200-column table should not hide the other 199. Everything else the drift library
 * refuses (an unknown column, a test that does not fit, no column left to test) is a DriftError.
 */
export function buildDriftReport(reference: DriftColumns, current: DriftColumns, options: DriftReportOptions): DriftReport {
  const names = options.columns ?? Object.keys(reference).filter((name) => Object.hasOwn(current, name));
  const skipped: SkippedColumn[] = [];
  const tested: string[] = [];
  for (const name of names) {
    // A name missing from a side stays in the list: the drift library refuses it in its words.
    const ref = Object.hasOwn(reference, name) ? reference[name] : undefined;
    const cur = Object.hasOwn(current, name) ? current[name] : undefined;
    if (ref && cur && Array.isArray(ref) && Array.isArray(cur)) {
      const empty = !hasValue(ref) ? 'reference' : !hasValue(cur) ? 'current' : undefined;
      if (empty) {
        skipped.push({ name, reason: `An empty column '${name}' was provided for drift calculation in the ${empty} dataset.` });
        continue;
      }
    }
    tested.push(name);
  }
  if (tested.length === 0) {
    throw new DriftError(
      names.length === 0 ? 'There are no columns to compare.' : `There are no columns to compare: every column is empty on one side (${skipped.map((s) => s.name).join(', ')}).`,
    );
  }

  const result = detectDatasetDrift(reference, current, { ...options, columns: tested });
  const columns = result.columns.map((drift): TestedColumn => {
    const distribution = columnDistribution(drift.column, reference[drift.column]!, current[drift.column]!, drift.columnType, options);
    // Cannot happen: the column was tested, so both sides hold values.
    if (distribution.kind === 'skipped') throw new Error(distribution.reason);
    return { name: drift.column, drift, distribution };
  });
  return {
    title: options.title ?? DEFAULT_TITLE,
    generatedAt: options.generatedAt,
    referenceRows: options.referenceRows ?? longest(reference),
    currentRows: options.currentRows ?? longest(current),
    result,
    columns,
    skipped,
  };
}
