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
 */
import type { DriftColumn, TestableColumnType } from './types.js';

type PandasDtype = 'int' | 'float' | 'bool' | 'object';

const NUMBER_UNIQUE_AS_CATEGORICAL = 5;

function dtypeOf(values: DriftColumn): PandasDtype {
  let sawNumber = false;
  let sawBoolean = false;
  let sawOther = false;
  let sawMissing = false;
  let allWhole = true;
  for (const v of values) {
    if (v === null) sawMissing = true;
    else if (typeof v === 'number') {
      sawNumber = true;
      if (!Number.isInteger(v)) allWhole = false;
    } else if (typeof v === 'boolean') sawBoolean = true;
    else sawOther = true;
  }
  if (sawOther || (sawNumber && sawBoolean) || (!sawNumber && !sawBoolean)) return 'object';
  if (sawBoolean) return sawMissing ? 'object' : 'bool';
  return !sawMissing && allWhole ? 'int' : 'float';
}

/** pandas nunique(): distinct values, NaN and missing cells not counted. */
function distinctCount(values: DriftColumn): number {
  const seen = new Set<number | string | boolean>();
  for (const v of values) if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) seen.add(v);
  return seen.size;
}

export function inferColumnType(reference: DriftColumn, current: DriftColumn): TestableColumnType {
  const referenceType = dtypeOf(reference);
  let currentType = dtypeOf(current);
  const isNumber = (t: PandasDtype): boolean => t === 'int' || t === 'float';
  if (referenceType !== currentType && (!isNumber(referenceType) || !isNumber(currentType))) currentType = referenceType;
  if (currentType === 'int') {
    const distinct = distinctCount(reference) || distinctCount(current);
    return distinct <= NUMBER_UNIQUE_AS_CATEGORICAL ? 'categorical' : 'numerical';
  }
  return currentType === 'float' ? 'numerical' : 'categorical';
}
