import { CompiledQuery, sql } from 'kysely';
import type { SqlDialect } from '../../../ports/sql.js';
import type { MetricsTable } from '../tables.js';
import type { TrackingDb } from '../tracking-context.js';

export type MetricRow = MetricsTable;

const COLUMNS = ['run_uuid', 'key', 'value', 'is_nan', 'timestamp', 'step', 'model_id', 'dataset_name', 'dataset_digest'] as const;

/**
 * Inserts metric points, skipping exact duplicates. This is the ingestion hot path (a log-batch
 * carries up to 1000 points), so it bypasses the query builder, whose per-value AST costs as much
 * as the insert itself, and uses each dialect's cheapest bulk form:
 * - PostgreSQL: one array parameter per column expanded by `unnest` (9 parameters instead of 9000,
 *   and one plan for every batch size);
 * - SQLite: a multi-row VALUES statement whose text depends only on the row count, so the
 *   adapter's statement cache prepares it once.
 */
export async function insertMetricRows(db: TrackingDb, dialect: SqlDialect, rows: readonly MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialect === 'postgres') {
    const column = <K extends keyof MetricRow>(k: K) => rows.map((r) => r[k]);
    await sql`insert into metrics (run_uuid, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest)
      select * from unnest(${column('run_uuid')}::text[], ${column('key')}::text[], ${column('value')}::float8[],
        ${column('is_nan')}::int4[], ${column('timestamp')}::int8[], ${column('step')}::int8[],
        ${column('model_id')}::text[], ${column('dataset_name')}::text[], ${column('dataset_digest')}::text[])
      on conflict do nothing`.execute(db);
    return;
  }
  const params: unknown[] = new Array(rows.length * COLUMNS.length);
  let i = 0;
  for (const row of rows) for (const c of COLUMNS) params[i++] = row[c];
  await db.executeQuery(CompiledQuery.raw(sqliteInsertText(rows.length), params));
}

const sqliteTexts = new Map<number, string>();

function sqliteInsertText(rowCount: number): string {
  let text = sqliteTexts.get(rowCount);
  if (!text) {
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
    text = `insert into metrics (${COLUMNS.join(', ')}) values ${Array(rowCount).fill(tuple).join(', ')} on conflict do nothing`;
    sqliteTexts.set(rowCount, text);
  }
  return text;
}
