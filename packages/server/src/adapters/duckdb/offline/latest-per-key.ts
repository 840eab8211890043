/**
 * The materialization scan: per key, the latest row with event time in [start, end) (ties: created
 * time, then position in the source), streamed in batches so a large view never sits in memory.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OfflineStoreError, type LatestRowsBatch, type OfflineCell, type OfflineViewQuery } from '../../../ports/offline-store.js';
import type { OfflineContext } from './offline-context.js';
import { readBatches } from './read-columns.js';
import { openViewSource, type ViewSource } from './source-relations.js';
import { timestampSql } from './sql.js';

export async function* latestPerKey(context: OfflineContext, view: OfflineViewQuery, startMs: number, endMs: number, batchRows: number): AsyncGenerator<LatestRowsBatch> {
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new OfflineStoreError(`batchRows must be a positive integer, got ${batchRows}.`);
  const connection = await context.engine.connect();
  let source: ViewSource | undefined;
  try {
    source = await openViewSource(connection, context.root, view, (p) => context.engine.tableName(p));
    const batches = readBatches(await named(source, connection, () => connection.stream(latestSql(source!, startMs, endMs))), batchRows);
    // Values are cast as chunks are fetched, so a bad value can surface at any batch.
    for (let next = await named(source, connection, () => batches.next()); !next.done; next = await named(source, connection, () => batches.next())) {
      yield toBatch(source, next.value);
    }
  } finally {
    await source?.dispose(connection).catch(() => undefined);
    connection.closeSync();
  }
}

function latestSql(source: ViewSource, startMs: number, endMs: number): string {
  const keys = source.keys.map((k) => k.column);
  const order = `__ts DESC, ${source.hasCreated ? '__created DESC NULLS LAST, ' : ''}__pos DESC`;
  const asMs = (column: string) => `epoch_ms(${column})::DOUBLE`;
  const values = [...source.keys.map((k) => ({ column: k.column, dtype: k.dtype })), ...source.features.map((f) => ({ column: f.column, dtype: f.dtype }))];
  const select = [
    ...values.map((v) => (v.dtype === 'unix_timestamp' ? `${asMs(v.column)} AS ${v.column}` : v.column)),
    `${asMs('__ts')} AS __event_ms`,
    // Without a created column (or value) the row was written when it happened, as far as anyone knows.
    `${asMs('coalesce(__created, __ts)')} AS __created_ms`,
  ];
  return (
    `SELECT ${select.join(', ')} FROM (${source.sql}) ` +
    `WHERE __ts >= ${timestampSql(startMs)} AND __ts < ${timestampSql(endMs)} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) = 1 ` +
    // In the order of the keys' text, as online stores key rows: a B-tree store then appends to
    // neighbouring pages instead of touching leaves all over the table (SQLite writes 1,000,000
    // keys about three times faster), and batches come out the same on every run.
    `ORDER BY ${keyTextOrder(source)}`
  );
}

/** The join keys as text, by key name (the order the features module's entity keys use). */
function keyTextOrder(source: ViewSource): string {
  return [...source.keys]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((k) => `CAST(${k.column} AS VARCHAR)`)
    .join(', ');
}

/** Runs a step of the read; when DuckDB cannot read a value, names the view and column. */
async function named<T>(source: ViewSource, connection: DuckDBConnection, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw (await source.diagnose(connection)) ?? new OfflineStoreError(`Reading view ${source.view} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function toBatch(source: ViewSource, columns: Record<string, OfflineCell[]>): LatestRowsBatch {
  const eventTimes = columns.__event_ms as number[];
  return {
    rows: eventTimes.length,
    joinKeys: Object.fromEntries(source.keys.map((k) => [k.name, columns[k.column]!])),
    eventTimes,
    createdTimes: columns.__created_ms as number[],
    features: Object.fromEntries(source.features.map((f) => [f.outputName, columns[f.column]!])),
  };
}
