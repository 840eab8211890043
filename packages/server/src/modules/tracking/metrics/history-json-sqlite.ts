import { sql } from 'kysely';
import type { TrackingDb } from '../tracking-context.js';

/** Largest finite double: SQLite has no literal for infinity, so compare against the bounds. */
const MAX_DOUBLE = '1.7976931348623157e308';

/**
 * A metric's whole history as the JSON items of a get-history response, built inside SQLite.
 * For long histories this is about twice as fast as reading rows into JavaScript objects and
 * serializing them: better-sqlite3 spends most of a 100,000-point read building row objects.
 * SQLite's json_quote prints doubles with enough digits to round-trip exactly. Returns undefined
 * when the metric has no points.
 */
export async function sqliteHistoryItemsJson(db: TrackingDb, runId: string, key: string): Promise<string | undefined> {
  const prefix = `{"key":${JSON.stringify(key)},"value":`;
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
