/**
 * Input validation and the one pass that splits every column into missing and present cells.
 * Checks read these prepared columns and never look at raw cells again, except the duplicate
 * counts, which compare raw cells the way pandas does ('' and null are different values there).
 */
import { QualityError } from './errors.js';
import type { MissingTest } from './missing.js';
import type { Category, QualityColumn, QualityColumns } from './types.js';

export type Side = 'reference' | 'current';

export interface PreparedColumn {
  readonly name: string;
  readonly raw: QualityColumn;
  /** Cells that are not missing, in row order. */
  readonly present: readonly Category[];
  readonly missingCount: number;
  /** The column with every missing marker turned into null (what column typing reads). */
  readonly normalized: readonly (Category | null)[];
}

export interface PreparedDataset {
  readonly side: Side;
  readonly rowCount: number;
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, PreparedColumn>;
}

function prepareColumn(side: Side, name: string, raw: unknown, isMissing: MissingTest): PreparedColumn {
  if (!Array.isArray(raw)) throw new QualityError(`Column '${name}' in ${side} dataset is not an array.`);
  const present: Category[] = [];
  const normalized: (Category | null)[] = [];
  for (const cell of raw as readonly unknown[]) {
    if (cell !== null && typeof cell !== 'number' && typeof cell !== 'string' && typeof cell !== 'boolean') {
      throw new QualityError(`Column '${name}' in ${side} dataset has a cell that is not a number, string, boolean or null.`);
    }
    if (isMissing(cell)) normalized.push(null);
    else {
      present.push(cell as Category);
      normalized.push(cell as Category);
    }
  }
  return { name, raw: raw as QualityColumn, present, missingCount: raw.length - present.length, normalized };
}

export function prepareDataset(side: Side, data: QualityColumns, isMissing: MissingTest): PreparedDataset {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new QualityError(`The ${side} dataset must be an object of columns.`);
  }
  const names = Object.keys(data);
  if (names.length === 0) throw new QualityError(`The ${side} dataset is empty: it has no columns.`);
  const columns = new Map<string, PreparedColumn>();
  for (const name of names) columns.set(name, prepareColumn(side, name, data[name], isMissing));
  const first = columns.get(names[0]) as PreparedColumn;
  for (const column of columns.values()) {
    if (column.raw.length !== first.raw.length) {
      throw new QualityError(
        `Columns of the ${side} dataset have different lengths: '${first.name}' has ${first.raw.length} values, ` +
          `'${column.name}' has ${column.raw.length}.`,
      );
    }
  }
  if (first.raw.length === 0) throw new QualityError(`The ${side} dataset is empty: it has no rows.`);
  return { side, rowCount: first.raw.length, names, columns };
}
