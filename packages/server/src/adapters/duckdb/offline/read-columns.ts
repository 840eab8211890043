/**
 * Reads query results into JavaScript columns, a chunk (2,048 rows) at a time. This is the hot path
 * of training-set retrieval (a million rows times the features): values DuckDB already hands over
 * as JavaScript numbers, strings and booleans are stored as they are; only BIGINT, BLOB, LIST and
 * other object values go through duckdbToCell.
 */
import { DuckDBTypeId, type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';
import type { FeatureDtype } from '@capstan/contracts';
import type { OfflineCell } from '../../../ports/offline-store.js';
import { duckdbToCell } from './cells.js';
import { quoteIdentifier } from './sql.js';

const AS_IS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.VARCHAR,
]);

const TEMPORAL = new Set<DuckDBTypeId>([
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

/**
 * How a column travels: `time` columns become epoch ms as a DOUBLE in SQL (much cheaper than a
 * timestamp object per value), `int64` columns come as DOUBLE too (a BigInt per value costs more
 * than the value), exact up to 2^53 - 1, and the rare rows beyond are read again as text.
 */
export type ColumnKind = 'time' | 'int64' | 'other';

export function kindOfType(type: DuckDBType): ColumnKind {
  if (TEMPORAL.has(type.typeId)) return 'time';
  return type.typeId === DuckDBTypeId.BIGINT ? 'int64' : 'other';
}

export function kindOfDtype(dtype: FeatureDtype): ColumnKind {
  if (dtype === 'unix_timestamp') return 'time';
  return dtype === 'int64' ? 'int64' : 'other';
}

const EXACT = '-9007199254740991 AND 9007199254740991';

function travelling(name: string, kind: ColumnKind): string {
  const column = quoteIdentifier(name);
  if (kind === 'time') return `epoch_ms(CAST(${column} AS TIMESTAMP))::DOUBLE`;
  return kind === 'int64' ? `CAST(${column} AS DOUBLE)` : column;
}

/**
 * Reads the named columns of `from` (a query with an INTEGER-castable `__row`) into `targets`, each
 * value at its row: results of hash joins come in no particular order, and placing each row is
 * cheaper than having DuckDB sort wide rows first. Rows `from` lacks keep what targets held.
 */
export async function readScattered(
  connection: DuckDBConnection,
  from: string,
  columns: readonly { name: string; kind: ColumnKind }[],
  targets: readonly OfflineCell[][],
): Promise<void> {
  const select = columns.map((c) => travelling(c.name, c.kind));
  await scatterColumns(await connection.stream(`SELECT __row::INTEGER, ${select.join(', ')} FROM (${from})`), targets);
  for (const [i, column] of columns.entries()) {
    if (column.kind !== 'int64' || !targets[i]!.some((v) => typeof v === 'number' && !Number.isSafeInteger(v))) continue;
    const quoted = quoteIdentifier(column.name);
    const beyond = `SELECT __row::INTEGER, CAST(${quoted} AS VARCHAR) FROM (${from}) WHERE ${quoted} NOT BETWEEN ${EXACT}`;
    await scatterColumns(await connection.stream(beyond), [targets[i]!]);
  }
}

/** Stores a vector's values at out[rows[i]]. */
type Fill = (vector: DuckDBVector, count: number, out: OfflineCell[], rows: Int32Array) => void;

function fillAsIs(vector: DuckDBVector, count: number, out: OfflineCell[], rows: Int32Array): void {
  for (let i = 0; i < count; i++) out[rows[i]!] = vector.getItem(i) as OfflineCell;
}

function fillConverted(vector: DuckDBVector, count: number, out: OfflineCell[], rows: Int32Array): void {
  for (let i = 0; i < count; i++) out[rows[i]!] = duckdbToCell(vector.getItem(i));
}

const fillFor = (type: DuckDBType): Fill => (AS_IS.has(type.typeId) ? fillAsIs : fillConverted);

async function* chunks(result: DuckDBResult): AsyncGenerator<DuckDBDataChunk> {
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) yield chunk;
}

/** Reads a result whose first column is an INTEGER row number into `targets`, one per remaining column. */
async function scatterColumns(result: DuckDBResult, targets: readonly OfflineCell[][]): Promise<void> {
  const fills = result.columnTypes().slice(1).map(fillFor);
  for await (const chunk of chunks(result)) {
    const count = chunk.rowCount;
    const positions = chunk.getColumnVector(0);
    const rows = new Int32Array(count);
    for (let i = 0; i < count; i++) rows[i] = positions.getItem(i) as number;
    for (let c = 0; c < fills.length; c++) fills[c]!(chunk.getColumnVector(c + 1), count, targets[c]!, rows);
  }
}

/** Reads a result as batches of `batchRows` rows (the last one shorter), holding one batch at a time. */
export async function* readBatches(result: DuckDBResult, batchRows: number): AsyncGenerator<Record<string, OfflineCell[]>> {
  const names = result.columnNames();
  const fills = result.columnTypes().map(fillFor);
  let columns: OfflineCell[][] = fills.map(() => []);
  let held = 0;
  for await (const chunk of chunks(result)) {
    const rows = Int32Array.from({ length: chunk.rowCount }, (_, i) => held + i);
    for (let c = 0; c < fills.length; c++) fills[c]!(chunk.getColumnVector(c), chunk.rowCount, columns[c]!, rows);
    held += chunk.rowCount;
    while (held >= batchRows) {
      yield named(names, columns.map((column) => column.slice(0, batchRows)));
      columns = columns.map((column) => column.slice(batchRows));
      held -= batchRows;
    }
  }
  if (held > 0) yield named(names, columns);
}

const named = (names: readonly string[], columns: OfflineCell[][]): Record<string, OfflineCell[]> =>
  Object.fromEntries(names.map((name, i) => [name, columns[i]!]));
