import { sql, type Kysely } from 'kysely';
import type { FeatureViewSpec, FieldSpec } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { OfflineCell, OfflineField, OfflineSourceLocation, OfflineViewQuery } from '../../../ports/offline-store.js';
import type { BatchSourceSpec, FeatureRepo } from '../definitions/feature-repo.js';
import { parseIsoTime } from '../values/cells.js';

/** Rows of a SQL table source handed to the offline store per batch. */
const SQL_BATCH_ROWS = 50_000;

/**
 * A view as the offline store reads it: its batch source, join keys, the features wanted (each
 * with its result name) and TTL. `features` defaults to all, named as in the view.
 */
export function offlineQueryOf(
  repo: FeatureRepo,
  view: FeatureViewSpec,
  database: Kysely<unknown>,
  features: readonly { feature: string; outputName: string }[] = view.schema.map((f) => ({ feature: f.name, outputName: f.name })),
): OfflineViewQuery {
  const source = repo.batchSourceOf(view);
  const joinKeys = repo.joinKeysOf(view);
  return {
    view: view.name,
    source: {
      location: locationOf(source, [...joinKeys, ...view.schema], database),
      timestampField: source.timestamp_field,
      ...(source.created_timestamp_column ? { createdTimestampColumn: source.created_timestamp_column } : {}),
      fieldMapping: source.field_mapping ?? {},
    },
    joinKeys: joinKeys.map((k) => ({ name: k.name, dtype: k.dtype })),
    features: features.map((f) => ({ name: f.feature, dtype: view.schema.find((s) => s.name === f.feature)!.dtype, outputName: f.outputName })),
    ttlMs: view.ttl_seconds * 1000,
  };
}

function locationOf(source: BatchSourceSpec, fields: readonly FieldSpec[], database: Kysely<unknown>): OfflineSourceLocation {
  if (source.kind === 'file') return { kind: 'files', format: source.format, path: source.path };
  // The table's own column names: field_mapping maps them to the view's names.
  const columnOf = new Map(Object.entries(source.field_mapping ?? {}).map(([column, name]) => [name, column]));
  const columns: OfflineField[] = fields.map((f) => ({ name: columnOf.get(f.name) ?? f.name, dtype: f.dtype }));
  columns.push({ name: source.timestamp_field, dtype: 'unix_timestamp' });
  if (source.created_timestamp_column) columns.push({ name: source.created_timestamp_column, dtype: 'unix_timestamp' });
  return { kind: 'batches', columns, read: () => readSqlTable(database, source.table, columns) };
}

/**
 * A metadata-database table, in batches of columns. Time columns may hold TIMESTAMP values,
 * ISO 8601 text or epoch milliseconds (SQLite has no time type).
 */
async function* readSqlTable(database: Kysely<unknown>, table: string, columns: readonly OfflineField[]): AsyncIterable<Record<string, OfflineCell[]>> {
  let rows: Record<string, unknown>[];
  try {
    ({ rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c.name)))} from ${sql.table(table)}`.execute(database));
  } catch (err) {
    throw invalidParameter(`SQL table source '${table}' cannot be read: ${(err as Error).message}`);
  }
  for (let start = 0; start < rows.length; start += SQL_BATCH_ROWS) {
    const slice = rows.slice(start, start + SQL_BATCH_ROWS);
    const batch: Record<string, OfflineCell[]> = {};
    for (const c of columns) batch[c.name] = slice.map((row) => sqlCell(row[c.name], c, table));
    yield batch;
  }
}

function sqlCell(value: unknown, field: OfflineField, table: string): OfflineCell {
  if (value === null || value === undefined) return null;
  if (field.dtype === 'unix_timestamp') {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number') return value;
    const ms = typeof value === 'string' ? parseIsoTime(value) : undefined;
    if (ms === undefined) throw invalidParameter(`SQL table '${table}' column '${field.name}' holds ${JSON.stringify(value)}, not a time`);
    return ms;
  }
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value as OfflineCell[];
  return JSON.stringify(value);
}
