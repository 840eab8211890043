import type { FeatureDtype, FeatureValue, FieldSpec, HistoricalFeaturesRequest } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { EntityTable, OfflineField } from '../../../ports/offline-store.js';
import { cellFromJson, timestampFromJson, type Cell } from '../values/cells.js';
import { columnRows } from '../values/column-rows.js';

export const DEFAULT_TIMESTAMP_COLUMN = 'event_timestamp';

/**
 * The entity table of a historical request: inline rows (join keys typed by the views' entities,
 * the event time column parsed, other columns typed by their values) or a file under the offline
 * store root.
 */
export function entityTableOf(request: HistoricalFeaturesRequest, joinKeys: readonly FieldSpec[]): { table: EntityTable; dtypes: Map<string, FeatureDtype> } {
  const timestampColumn = request.timestamp_column ?? DEFAULT_TIMESTAMP_COLUMN;
  if (request.entity_source) {
    const path = request.entity_source.path;
    const format = /\.parquet$/i.test(path) ? 'parquet' : /\.csv$/i.test(path) ? 'csv' : undefined;
    if (!format) throw invalidParameter(`entity_source.path '${path}' must name a .parquet or .csv file`);
    return { table: { kind: 'files', format, path, timestampColumn }, dtypes: new Map() };
  }
  const rows = request.entity_rows!;
  columnRows(rows, 'entity_rows');
  if (!(timestampColumn in rows)) throw invalidParameter(`entity_rows lack the event time column '${timestampColumn}' (set timestamp_column to use another)`);
  const columns: Record<string, Cell[]> = {};
  const fields: OfflineField[] = [];
  const dtypes = new Map<string, FeatureDtype>();
  for (const [name, values] of Object.entries(rows)) {
    const key = joinKeys.find((k) => k.name === name);
    let dtype: FeatureDtype;
    if (name === timestampColumn) {
      dtype = 'unix_timestamp';
      columns[name] = values.map((v, i) => timestampFromJson(v, () => `entity_rows.${name}[${i}]`));
    } else {
      dtype = key?.dtype ?? inferDtype(values);
      columns[name] = values.map((v, i) => {
        const cell = cellFromJson(v, dtype, () => `entity_rows.${name}[${i}]`);
        if (cell === null && key) throw invalidParameter(`entity_rows.${name}[${i}] is null; join key '${name}' needs a value`);
        return cell;
      });
    }
    fields.push({ name, dtype });
    dtypes.set(name, dtype);
  }
  for (const k of joinKeys) if (!(k.name in rows)) throw invalidParameter(`entity_rows lack join key '${k.name}'`);
  return { table: { kind: 'columns', columns, timestampColumn, fields }, dtypes };
}

/** A column that is not a join key keeps its JSON type: integers, numbers, text or booleans. */
export function inferDtype(values: readonly FeatureValue[]): FeatureDtype {
  const present = values.filter((v) => v !== null);
  if (present.every((v) => typeof v === 'boolean')) return 'bool';
  if (present.every((v) => typeof v === 'number')) return present.every((v) => Number.isSafeInteger(v)) ? 'int64' : 'float64';
  if (present.every((v) => typeof v === 'string')) return 'string';
  throw invalidParameter('an entity_rows column mixes types; give one type per column');
}
