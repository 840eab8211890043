/**
 * Column type inference as Evidently 0.4-0.6 does it (utils/data_preprocessing.py
 * _get_column_type, for a column that is neither target nor prediction), on the dtype pandas would
 * give each side:
 *
 *   integer dtype -> categorical if it has <= 5 distinct values (NUMBER_UNIQUE_AS_CATEGORICAL),
 *                    numerical otherwise; the count is the reference's, or the current's when the
 *                    reference has none;
 *   float dtype   -> numerical;
 *   bool dtype    -> categorical;
 *   anything else (strings, mixed) -> categorical. Evidently never infers 'text'.
 *
 * When the two sides disagree and one of them is not a number dtype, the reference's dtype wins.
 *
 * pandas dtypes from JSON-like cells: numbers only and no missing cell -> integer if every value is
 * a whole number, else float; numbers with a missing cell -> float (pandas turns the gap into NaN);
 * booleans only, none missing -> bool; everything else -> object. JavaScript cannot tell 1.0 from
 * 1, so a float column whose values are all whole numbers is read as integer (see README.md).
 * A Float64Array is a float64 column.
 */
import { scanCells, type CellScan } from './scan.js';
import type { DriftInputColumn, TestableColumnType } from './types.js';

type PandasDtype = 'int' | 'float' | 'bool' | 'object';

export const NUMBER_UNIQUE_AS_CATEGORICAL = 5;

function dtypeOf(scan: CellScan): PandasDtype {
  if (scan.typed) return 'float';
  // Something that is not an array iterates (if at all) as something other than numbers.
  const sawOther = scan.sawString || scan.badCell || scan.notArray;
  const { sawNumber, sawBoolean } = scan;
  if (sawOther || (sawNumber && sawBoolean) || (!sawNumber && !sawBoolean)) return 'object';
  if (sawBoolean) return scan.sawNull ? 'object' : 'bool';
  return !scan.sawNull && scan.allWhole ? 'int' : 'float';
}

/**
 * pandas nunique() capped at `limit`: distinct values, NaN and missing cells not counted. The type
 * decision only asks whether there are at most NUMBER_UNIQUE_AS_CATEGORICAL, so counting stops at
 * one more than that instead of hashing every value of a million-row column.
 */
function distinctCountUpTo(values: DriftInputColumn, limit: number): number {
  const seen = new Set<number | string | boolean>();
  for (const v of values) {
    if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) {
      seen.add(v);
      if (seen.size >= limit) return limit;
    }
  }
  return seen.size;
}

export function inferColumnType(reference: DriftInputColumn, current: DriftInputColumn): TestableColumnType {
  return inferColumnTypeOfScans(scanCells(reference), scanCells(current));
}

/** inferColumnType on sides already scanned (detect.ts scans each side once for everything). */
export function inferColumnTypeOfScans(reference: CellScan, current: CellScan): TestableColumnType {
  const referenceType = dtypeOf(reference);
  let currentType = dtypeOf(current);
  const isNumber = (t: PandasDtype): boolean => t === 'int' || t === 'float';
  if (referenceType !== currentType && (!isNumber(referenceType) || !isNumber(currentType))) currentType = referenceType;
  if (currentType === 'int') {
    const limit = NUMBER_UNIQUE_AS_CATEGORICAL + 1;
    const distinct = distinctCountUpTo(reference.values, limit) || distinctCountUpTo(current.values, limit);
    return distinct <= NUMBER_UNIQUE_AS_CATEGORICAL ? 'categorical' : 'numerical';
  }
  return currentType === 'float' ? 'numerical' : 'categorical';
}
