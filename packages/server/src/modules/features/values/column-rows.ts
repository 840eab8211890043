import { invalidParameter } from '../../../core/errors.js';

/**
 * The row count of column-major JSON (`{"driver_id": [1001, 1002], ...}`: Feast's `entities` and
 * `df`, an entity table's `entity_rows`), or INVALID_PARAMETER_VALUE naming what is wrong: not an
 * object, a column that is not an array, columns of different lengths, no rows.
 */
export function columnRows(columns: unknown, what: string): number {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) throw invalidParameter(`${what} must be an object of columns: {"driver_id": [1001, 1002]}`);
  let rows: number | undefined;
  for (const [name, values] of Object.entries(columns)) {
    if (!Array.isArray(values)) throw invalidParameter(`${what}.${name} must be an array of values`);
    if (rows !== undefined && values.length !== rows) throw invalidParameter(`${what} columns differ in length: ${name} has ${values.length} values, others ${rows}`);
    rows = values.length;
  }
  if (!rows) throw invalidParameter(`${what} must hold at least one row`);
  return rows;
}
