/**
 * The entity table ("spine") as a temporary table with `__row` (the caller's row order) and the
 * caller's columns. Columns handed over in memory are appended: typed by `fields`, the time column
 * as epoch ms, other columns by their JavaScript values. Files are read with their own types.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OfflineStoreError, type EntityTable, type OfflineCell, type OfflineField } from '../../../ports/offline-store.js';
import { cellToDuckdb, duckdbType } from './cells.js';
import { describeScan, fileScan } from './file-scans.js';
import { loadColumns, type LoadColumn } from './load-columns.js';
import type { OfflineRoot } from './offline-root.js';
import type { Spine } from './point-in-time-sql.js';
import { quoteIdentifier } from './sql.js';
import { TIME_TYPES_HINT, timestampExpression } from './time-columns.js';

export function loadEntityTable(connection: DuckDBConnection, root: OfflineRoot, entities: EntityTable, table: string): Promise<Spine> {
  return entities.kind === 'columns' ? loadColumnsTable(connection, entities, table) : loadFilesTable(connection, root, entities, table);
}

async function loadColumnsTable(connection: DuckDBConnection, entities: Extract<EntityTable, { kind: 'columns' }>, table: string): Promise<Spine> {
  const { columns, timestampColumn, fields } = entities;
  const names = Object.keys(columns);
  if (!names.includes(timestampColumn)) throw new OfflineStoreError(`The entity table has no time column ${timestampColumn}.`);
  const unknown = fields.find((f) => !names.includes(f.name));
  if (unknown !== undefined) throw new OfflineStoreError(`The entity table has no column ${unknown.name}.`);
  const load = names.map((name) => entityColumn(name, columns[name]!, fields.find((f) => f.name === name), name === timestampColumn));
  const rowCount = await loadColumns(connection, table, '__row', load, [columns], 'entity table');
  const timeField = fields.find((f) => f.name === timestampColumn);
  const time = quoteIdentifier(timestampColumn);
  // Epoch ms are appended as DOUBLE (cheaper than a timestamp object per value); DuckDB keeps microseconds.
  const timeExpression = timeField?.dtype === 'unix_timestamp' ? time : `make_timestamp(CAST(round(${time} * 1000) AS BIGINT))`;
  const echo = Object.fromEntries(names.map((name) => [name, columns[name]!.slice()]));
  return { table, columns: names, timeColumn: timestampColumn, timeExpression, rowCount, echo };
}

function entityColumn(name: string, values: readonly OfflineCell[], field: OfflineField | undefined, isTime: boolean): LoadColumn {
  if (field !== undefined) {
    if (isTime && field.dtype !== 'unix_timestamp') throw new OfflineStoreError(`The entity table's time column ${name} is declared ${field.dtype}; use unix_timestamp (epoch ms).`);
    return { name, type: duckdbType(field.dtype), convert: cellToDuckdb(field.dtype) };
  }
  if (isTime) return { name, type: duckdbType('float64'), convert: cellToDuckdb('float64') };
  const dtype = inferDtype(name, values);
  return { name, type: duckdbType(dtype), convert: cellToDuckdb(dtype) };
}

/** An undeclared column's dtype, from its first non-null value; other values must agree. */
function inferDtype(name: string, values: readonly OfflineCell[]): 'float64' | 'string' | 'bool' | 'bytes' {
  const first = values.find((v) => v != null);
  if (first === undefined || typeof first === 'string') return 'string';
  if (typeof first === 'number') return 'float64';
  if (typeof first === 'boolean') return 'bool';
  if (first instanceof Uint8Array) return 'bytes';
  throw new OfflineStoreError(`The entity table's column ${name} holds lists; declare its dtype in fields.`);
}

async function loadFilesTable(connection: DuckDBConnection, root: OfflineRoot, entities: Extract<EntityTable, { kind: 'files' }>, table: string): Promise<Spine> {
  const files = await root.files(entities.path, entities.format);
  if (files.length === 0) throw new OfflineStoreError(`The entity table ${entities.path} has no ${entities.format} files.`);
  const scan = fileScan(files, entities.format, { asText: false });
  const types = await describeScan(connection, scan);
  const columns = [...types.keys()];
  const timeType = types.get(entities.timestampColumn);
  if (timeType === undefined) throw new OfflineStoreError(`The entity table ${entities.path} has no time column ${entities.timestampColumn}.`);
  const timeExpression = timestampExpression(entities.timestampColumn, timeType);
  if (timeExpression === undefined) {
    throw new OfflineStoreError(`The entity table's time column ${entities.timestampColumn} is ${timeType}; expected ${TIME_TYPES_HINT}.`);
  }
  const select = [`row_number() OVER (ORDER BY ${scan.position}) - 1 AS __row`, ...columns.map(quoteIdentifier)].join(', ');
  await connection.run(`CREATE TEMP TABLE ${quoteIdentifier(table)} AS SELECT ${select} FROM ${scan.from} ORDER BY __row`);
  const count = await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(table)}`);
  const rowCount = Number(count.getRowObjectsJS()[0]?.n ?? 0);
  return { table, columns, timeColumn: entities.timestampColumn, timeExpression, rowCount };
}
