import { sql } from 'kysely';
import type { SqlDialect } from '../../../ports/sql.js';
import type { TrackingDb } from '../tracking-context.js';

/** Largest finite double: SQLite has no literal for infinity, so compare against the bounds. */
const MAX_DOUBLE = '1.7976931348623157e308';

/**
 * A metric's whole history as the JSON items of a get-history response, built by the database.
 * For long histories this is about twice as fast as reading rows into JavaScript objects and
 * serializing them: the drivers spend most of a 100,000-point read building row objects. Doubles
 * are printed with enough digits to round-trip exactly (SQLite's json_quote; PostgreSQL's float8
 * output with extra_float_digits = 1, set for this transaction only). NaN and the infinities
 * become proto-JSON strings. Returns undefined when the metric has no points.
 */
export async function historyItemsJson(db: TrackingDb, dialect: SqlDialect, runId: string, key: string): Promise<string | undefined> {
  const prefix = `{"key":${JSON.stringify(key)},"value":`;
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ items: string | null }>`
      select group_concat(
        ${prefix}
          || case
               when is_nan = 1 then '"NaN"'
               when value > ${sql.raw(MAX_DOUBLE)} then '"Infinity"'
               when value < -${sql.raw(MAX_DOUBLE)} then '"-Infinity"'
               else json_quote(value)
             end
          || ',"timestamp":' || timestamp || ',"step":' || step || '}',
        ',' order by step, timestamp, value) as items
      from metrics
      where run_uuid = ${runId} and key = ${key}`.execute(db);
    return rows[0]?.items ?? undefined;
  }
  return db.transaction().execute(async (trx) => {
    await sql`set local extra_float_digits = 1`.execute(trx);
    const { rows } = await sql<{ items: string | null }>`
      select string_agg(
        ${prefix}
          || case
               when is_nan = 1 then '"NaN"'
               when value = 'Infinity'::float8 then '"Infinity"'
               when value = '-Infinity'::float8 then '"-Infinity"'
               else value::text
             end
          || ',"timestamp":' || timestamp || ',"step":' || step || '}',
        ',' order by step, timestamp, value) as items
      from metrics
      where run_uuid = ${runId} and key = ${key}`.execute(trx);
    return rows[0]?.items ?? undefined;
  });
}
