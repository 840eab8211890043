/**
 * Duplicated rows and columns the way pandas counts them (duplicated().sum() and
 * T.duplicated().sum()): a row or column equal to an earlier one, cell by cell, on raw cells. NaN
 * equals NaN there, 1 and '1' differ, and so do '' and null.
 */
import type { PreparedDataset } from './table.js';
import type { QualityValue } from './types.js';

function cellKey(value: QualityValue): string {
  if (value === null) return 'z';
  if (typeof value === 'number') return `n${Object.is(value, -0) ? 0 : value}`;
  if (typeof value === 'boolean') return `b${value}`;
  return `s${value}`;
}

function countRepeats(keys: Iterable<string>): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const key of keys) {
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  return repeats;
}

/** JSON.stringify of the tagged cells keeps separators inside strings from colliding. */
function* rowKeys(dataset: PreparedDataset): Generator<string> {
  const columns = dataset.names.map((name) => dataset.columns.get(name)?.raw ?? []);
  for (let row = 0; row < dataset.rowCount; row++) yield JSON.stringify(columns.map((cells) => cellKey(cells[row])));
}

export function duplicatedRows(dataset: PreparedDataset): number {
  return countRepeats(rowKeys(dataset));
}

export function duplicatedColumns(dataset: PreparedDataset): number {
  return countRepeats(dataset.names.map((name) => JSON.stringify((dataset.columns.get(name)?.raw ?? []).map(cellKey))));
}
