/**
 * The point-in-time join, Feast's semantics, in two steps per view:
 *
 * 1. Match (narrow, in historical()): the view's rows are cut to the spine's keys and time range
 *    (what no spine row can match is not worth sorting) and deduplicated on (keys, event time): the latest
 *    created time wins, then the later position in the source. An ASOF JOIN then finds, for each
 *    spine row, the row with equal keys (both sides cast to the view's key dtypes, so an int32 key
 *    finds an int64 row by value) and the greatest event time <= the spine row's time. The join is
 *    on event time only: a row written after the spine time still counts, as in Feast. With a TTL,
 *    a match older than time - ttl is dropped: it is the latest row at or before the time, so when
 *    it is too old every candidate is. Only (spine row, source position) pairs are kept.
 * 2. Gather (when the result is read): the features of the matched positions, by a hash join
 *    against the source. Features never travel through the sorts of step 1, which is what keeps a
 *    view of 100 features about as cheap to match as a view of one.
 */
import type { OfflineCell } from '../../../ports/offline-store.js';
import { sqlType } from './cells.js';
import type { ViewSource } from './source-relations.js';
import { quoteIdentifier, timestampSql } from './sql.js';

export interface Spine {
  /** A table with `__row` (0, 1, ... in output order, stored in that order) and the spine's columns. */
  table: string;
  /** Output columns, in order. */
  columns: readonly string[];
  /** The column holding the spine row's time. */
  timeColumn: string;
  /** The spine row's time as a TIMESTAMP, over the table's columns. */
  timeExpression: string;
  rowCount: number;
  /**
   * The caller's own columns of an in-memory entity table, handed back by toColumns as they came
   * instead of making a round trip through DuckDB.
   */
  echo?: Readonly<Record<string, readonly OfflineCell[]>>;
}

export interface PointInTimeView {
  source: ViewSource;
  ttlMs: number;
}

/** The spine's time range, when it has any non-null time. */
export interface TimeRange {
  minMs: number;
  maxMs: number;
}

/**
 * Dedup ordering: created time (rows without one lose), then position in the source. The created
 * column is in the ORDER BY even when the source has none (all NULL, so position decides): with
 * position alone, DuckDB's top-N window rewrite fails to plan a filtered QUALIFY (an internal
 * "expression type mismatch" on a source without a created column and a view with a TTL).
 */
function latestFirst(): string {
  return '__c.__created DESC NULLS LAST, __c.__pos DESC';
}

function candidateRows(spine: Spine, view: PointInTimeView, range: TimeRange | undefined): string {
  const { source, ttlMs } = view;
  const bounds: string[] = [];
  if (range !== undefined) {
    bounds.push(`__ts <= ${timestampSql(range.maxMs)}`);
    if (ttlMs > 0) bounds.push(`__ts >= ${timestampSql(range.minMs - ttlMs)}`);
  }
  const where = bounds.length === 0 ? '' : ` WHERE ${bounds.join(' AND ')}`;
  const keys = source.keys.map((k) => k.column);
  // Only keys the spine asks for: nearly free when it asks for all of them, and a small entity
  // table against a large view sorts a fraction of the view (4x faster at 1,000 of 1,000,000 rows).
  const wanted = source.keys.map((k, i) => `CAST(${quoteIdentifier(k.name)} AS ${sqlType(k.dtype)}) AS __w${i}`);
  const semi = source.keys.map((k, i) => `__c.${k.column} = __w.__w${i}`).join(' AND ');
  const narrow = [...keys, '__ts', '__created', '__pos'].map((c) => `__c.${c}`).join(', ');
  return (
    `SELECT ${narrow} FROM (${source.sql}) __c SEMI JOIN (SELECT DISTINCT ${wanted.join(', ')} FROM ${quoteIdentifier(spine.table)}) __w ON ${semi}${where} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${[...keys, '__ts'].map((c) => `__c.${c}`).join(', ')} ORDER BY ${latestFirst()}) = 1`
  );
}

/** Step 1: (__row, __p) for every spine row with a live match in the view. */
export function matchSql(spine: Spine, view: PointInTimeView, range: TimeRange | undefined): string {
  const { source, ttlMs } = view;
  const entityKeys = [...new Set(source.keys.map((k) => quoteIdentifier(k.name)))];
  const spineRows = `SELECT __row, ${entityKeys.join(', ')}, ${spine.timeExpression} AS __ets FROM ${quoteIdentifier(spine.table)}`;
  const on = [...source.keys.map((k) => `CAST(__e.${quoteIdentifier(k.name)} AS ${sqlType(k.dtype)}) = __v.${k.column}`), '__e.__ets >= __v.__ts'];
  const alive = ttlMs > 0 ? ` WHERE __v.__ts >= __e.__ets - to_milliseconds(${Math.round(ttlMs)}::BIGINT)` : '';
  return `SELECT __e.__row::INTEGER AS __row, __v.__pos AS __p FROM (${spineRows}) __e ASOF JOIN (${candidateRows(spine, view, range)}) __v ON ${on.join(' AND ')}${alive}`;
}

/** Step 2: (__row, features named by their output names) of the matched rows, in no particular order. */
export function gatherSql(matchTable: string, source: ViewSource): string {
  const features = source.features.map((f) => `__s.${f.column} AS ${quoteIdentifier(f.outputName)}`);
  return `SELECT __m.__row, ${features.join(', ')} FROM ${quoteIdentifier(matchTable)} __m JOIN (${source.sql}) __s ON __s.__pos = __m.__p`;
}

/** The whole result in spine order, the spine's time as a TIMESTAMP: what writeParquet writes. */
export function resultSql(spine: Spine, views: readonly { matchTable: string; source: ViewSource }[]): string {
  const select = spine.columns.map((c) => (c === spine.timeColumn ? `__e.__ets AS ${quoteIdentifier(c)}` : `__e.${quoteIdentifier(c)}`));
  const joins = views.map((view, i) => {
    select.push(...view.source.features.map((f) => `__g${i}.${quoteIdentifier(f.outputName)}`));
    return `LEFT JOIN (${gatherSql(view.matchTable, view.source)}) __g${i} ON __g${i}.__row = __e.__row`;
  });
  const spineRows = `SELECT *, ${spine.timeExpression} AS __ets FROM ${quoteIdentifier(spine.table)}`;
  return `SELECT ${select.join(', ')} FROM (${spineRows}) __e ${joins.join(' ')} ORDER BY __e.__row`;
}
