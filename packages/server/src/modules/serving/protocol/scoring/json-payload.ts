/**
 * The JSON shapes KServe v1 and MLflow share, read into a ScoringPayload: pandas' `records` and
 * `split` orientations, and TF Serving's row (`instances`) and columnar (`inputs`) formats.
 * Nothing here knows the model; `field` names the request field in every message.
 */
import { describeValue } from '../json-elements.js';
import { badRequest } from './bad-request.js';
import type { ColumnsPayload, ScoringPayload } from './scoring-payload.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rows as objects (pandas `records`): columns in first-seen order; a key a row lacks is missing there. */
export function tableFromRecords(rows: readonly unknown[], field: string): ColumnsPayload {
  const columns = new Map<string, unknown[]>();
  rows.forEach((row, r) => {
    if (!isRecord(row)) badRequest(`${field}[${r}] must be an object of column name to value (one row); got ${describeValue(row)}`);
    for (const [name, cell] of Object.entries(row)) {
      let column = columns.get(name);
      if (column === undefined) {
        column = new Array<unknown>(rows.length).fill(null);
        columns.set(name, column);
      }
      column[r] = cell;
    }
  });
  return { kind: 'columns', columns, rowCount: rows.length, textCells: false };
}

/**
 * pandas `split` orientation: `{columns, data, index?}`. Without `columns` the rows are positional,
 * so they are read as one unnamed tensor. `index` only labels rows and is checked, not kept.
 */
export function payloadFromSplit(value: unknown, field: string): ScoringPayload {
  if (!isRecord(value)) return badRequest(`${field} must be an object with columns and data; got ${describeValue(value)}`);
  const { columns, data, index } = value;
  if (!Array.isArray(data)) return badRequest(`${field}.data must be a list of rows; got ${describeValue(data)}`);
  if (index !== undefined && (!Array.isArray(index) || index.length !== data.length)) {
    badRequest(`${field}.index must be a list with one label per row (${data.length}); got ${Array.isArray(index) ? `${index.length} labels` : describeValue(index)}`);
  }
  if (columns === undefined) return { kind: 'tensor', data };
  if (!Array.isArray(columns)) return badRequest(`${field}.columns must be a list of column names; got ${describeValue(columns)}`);
  // pandas writes a frame's default integer column labels as JSON numbers.
  const names = columns.map((c, i) =>
    typeof c === 'string' || typeof c === 'number' ? String(c) : badRequest(`${field}.columns[${i}] must be a column name; got ${describeValue(c)}`),
  );
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) badRequest(`${field}.columns names '${name}' more than once`);
    seen.add(name);
  }
  const table = new Map<string, unknown[]>(names.map((n) => [n, new Array<unknown>(data.length)]));
  data.forEach((row, r) => {
    if (!Array.isArray(row)) badRequest(`${field}.data[${r}] must be a list of ${names.length} values (one row); got ${describeValue(row)}`);
    if (row.length !== names.length) badRequest(`${field}.data[${r}] has ${row.length} values for ${names.length} columns`);
    names.forEach((name, c) => {
      (table.get(name) as unknown[])[r] = row[c];
    });
  });
  return { kind: 'columns', columns: table, rowCount: data.length, textCells: false };
}

/**
 * TF Serving's formats: a list of row objects is a table; any other list is one unnamed tensor
 * (the batch on its first dimension); a dict (when `dictAllowed`) holds lists by input name.
 */
export function payloadFromTensorField(value: unknown, field: string, dictAllowed: boolean): ScoringPayload {
  if (Array.isArray(value)) {
    const objects = value.filter(isRecord).length;
    if (objects === 0) return { kind: 'tensor', data: value };
    if (objects === value.length) return tableFromRecords(value, field);
    const firstOther = value.findIndex((v) => !isRecord(v));
    return badRequest(
      `${field} mixes row objects with other values (${field}[${firstOther}] is ${describeValue(value[firstOther])}); ` +
        'send either a list of objects (one per row) or a list of values',
    );
  }
  if (dictAllowed && isRecord(value)) return { kind: 'named-tensors', tensors: new Map(Object.entries(value)) };
  return badRequest(`${field} must be a list${dictAllowed ? ' or an object of named lists' : ''}; got ${describeValue(value)}`);
}
