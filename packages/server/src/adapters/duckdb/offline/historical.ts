/**
 * Historical retrieval: load the spine (an entity table, or every key and time the views hold in a
 * range), open each view's source, and match spine rows to source rows (point-in-time-sql.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { OfflineStoreError, type EntityTable, type OfflineResult, type OfflineViewQuery } from '../../../ports/offline-store.js';
import { sqlType } from './cells.js';
import { loadEntityTable } from './entity-table.js';
import type { OfflineContext } from './offline-context.js';
import { DuckdbOfflineResult, dropResultTables, type MatchedView } from './offline-result.js';
import { matchSql, type Spine, type TimeRange } from './point-in-time-sql.js';
import { openViewSource, type ViewSource } from './source-relations.js';
import { quoteIdentifier, timestampSql } from './sql.js';

/** The time column of a range retrieval's spine. */
const RANGE_TIME_COLUMN = 'event_timestamp';

/** Names the engine uses next to the spine's columns in its queries. */
const RESERVED = new Set(['__row', '__ets']);

export function historical(context: OfflineContext, entities: EntityTable, views: readonly OfflineViewQuery[]): Promise<OfflineResult> {
  return retrieve(context, views, async (connection, sources) => {
    const spine = await loadEntityTable(connection, context.root, entities, context.engine.tableName('entities'));
    sources.push(...(await openSources(context, connection, views)));
    return spine;
  });
}

export function historicalRange(context: OfflineContext, views: readonly OfflineViewQuery[], startMs: number, endMs: number): Promise<OfflineResult> {
  const keyNames = sharedKeyNames(views);
  return retrieve(context, views, async (connection, sources) => {
    sources.push(...(await openSources(context, connection, views)));
    const table = context.engine.tableName('spine');
    await connection.run(`CREATE TEMP TABLE ${quoteIdentifier(table)} AS ${rangeSpineSql(sources, keyNames, startMs, endMs)}`);
    const count = await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(table)}`);
    const rowCount = Number(count.getRowObjectsJS()[0]?.n ?? 0);
    const columns = [...keyNames, RANGE_TIME_COLUMN];
    return { table, columns, timeColumn: RANGE_TIME_COLUMN, timeExpression: quoteIdentifier(RANGE_TIME_COLUMN), rowCount };
  });
}

function sharedKeyNames(views: readonly OfflineViewQuery[]): string[] {
  const first = views[0];
  if (first === undefined) throw new OfflineStoreError('A range retrieval needs at least one feature view.');
  const names = first.joinKeys.map((k) => k.name);
  const same = (view: OfflineViewQuery) => view.joinKeys.length === names.length && view.joinKeys.every((k) => names.includes(k.name));
  const other = views.find((v) => !same(v));
  if (other !== undefined) {
    throw new OfflineStoreError(`A range retrieval needs views with the same join keys: ${first.view} has (${names.join(', ')}), ${other.view} has (${other.joinKeys.map((k) => k.name).join(', ')}).`);
  }
  if (names.includes(RANGE_TIME_COLUMN)) throw new OfflineStoreError(`A join key may not be named ${RANGE_TIME_COLUMN} in a range retrieval.`);
  return names;
}

/** Every distinct (keys, event time) in [start, end] across the views, in key and time order, typed like the first view. */
function rangeSpineSql(sources: readonly ViewSource[], keyNames: readonly string[], startMs: number, endMs: number): string {
  const first = sources[0]!;
  const parts = sources.map((source) => {
    const keys = keyNames.map((name, i) => {
      const key = source.keys.find((k) => k.name === name)!;
      return `CAST(${key.column} AS ${sqlType(first.keys[i]!.dtype)}) AS ${quoteIdentifier(name)}`;
    });
    return `SELECT ${keys.join(', ')}, __ts AS ${quoteIdentifier(RANGE_TIME_COLUMN)} FROM (${source.sql}) WHERE __ts BETWEEN ${timestampSql(startMs)} AND ${timestampSql(endMs)}`;
  });
  const order = [...keyNames, RANGE_TIME_COLUMN].map(quoteIdentifier).join(', ');
  // DISTINCT, not UNION alone: a single view's rows of one key and time (a created-time tie) are one spine row.
  return `SELECT row_number() OVER (ORDER BY ${order}) - 1 AS __row, * FROM (SELECT DISTINCT * FROM (${parts.join(' UNION ALL ')})) ORDER BY __row`;
}

async function openSources(context: OfflineContext, connection: DuckDBConnection, views: readonly OfflineViewQuery[]): Promise<ViewSource[]> {
  const sources: ViewSource[] = [];
  for (const view of views) sources.push(await openViewSource(connection, context.root, view, (p) => context.engine.tableName(p)));
  return sources;
}

/**
 * Runs a retrieval on a connection of its own, which the result keeps; on failure its temporary
 * tables are dropped and the connection closed.
 */
async function retrieve(
  context: OfflineContext,
  views: readonly OfflineViewQuery[],
  /** Loads the spine, and opens the sources into `sources` (so that a failure half-way still drops them). */
  prepare: (connection: DuckDBConnection, sources: ViewSource[]) => Promise<Spine>,
): Promise<OfflineResult> {
  const connection = await context.engine.connect();
  const sources: ViewSource[] = [];
  const matched: MatchedView[] = [];
  let spine: Spine | undefined;
  try {
    spine = await prepare(connection, sources);
    const columnNames = outputColumns(spine, views);
    checkKeys(spine, views);
    const range = await timeRange(connection, spine);
    for (const [i, source] of sources.entries()) {
      const matchTable = context.engine.tableName('match');
      await runMatch(connection, `CREATE TEMP TABLE ${quoteIdentifier(matchTable)} AS ${matchSql(spine, { source, ttlMs: views[i]!.ttlMs }, range)}`, source);
      matched.push({ source, matchTable });
    }
    const result = new DuckdbOfflineResult(connection, spine, matched, columnNames, (r) => context.results.delete(r));
    context.results.add(result);
    return result;
  } catch (error) {
    const unmatched = sources.slice(matched.length).map((source) => ({ source }));
    await dropResultTables(connection, spine?.table, [...matched, ...unmatched]).catch(() => undefined);
    connection.closeSync();
    throw error;
  }
}

function outputColumns(spine: Spine, views: readonly OfflineViewQuery[]): string[] {
  const reserved = spine.columns.find((c) => RESERVED.has(c));
  if (reserved !== undefined) throw new OfflineStoreError(`The entity table's column name ${reserved} is reserved.`);
  const names = [...spine.columns];
  for (const view of views) {
    for (const feature of view.features) {
      if (names.includes(feature.outputName) || RESERVED.has(feature.outputName)) {
        throw new OfflineStoreError(`Output column ${feature.outputName} (feature ${feature.name} of view ${view.view}) is already taken; give it another name.`);
      }
      names.push(feature.outputName);
    }
  }
  return names;
}

function checkKeys(spine: Spine, views: readonly OfflineViewQuery[]): void {
  for (const view of views) {
    const key = view.joinKeys.find((k) => !spine.columns.includes(k.name));
    if (key !== undefined) throw new OfflineStoreError(`View ${view.view} joins on ${key.name}, which the entity table does not have.`);
  }
}

async function timeRange(connection: DuckDBConnection, spine: Spine): Promise<TimeRange | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT epoch_us(min(${spine.timeExpression})) / 1000 AS lo, epoch_us(max(${spine.timeExpression})) / 1000 AS hi FROM ${quoteIdentifier(spine.table)}`,
  );
  const row = reader.getRowObjectsJS()[0];
  return typeof row?.lo === 'number' && typeof row.hi === 'number' ? { minMs: row.lo, maxMs: row.hi } : undefined;
}

/** Runs a match; when DuckDB cannot read a value, names the view and column instead of DuckDB's bare message. */
async function runMatch(connection: DuckDBConnection, sql: string, source: ViewSource): Promise<void> {
  try {
    await connection.run(sql);
  } catch (error) {
    throw (await source.diagnose(connection)) ?? new OfflineStoreError(`Historical retrieval failed on view ${source.view}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
