/**
 * A view's source as one DuckDB relation with fixed internal column names: join keys `__k0..`
 * and features `__f0..` cast to their declared dtypes (after the source's field mapping), `__ts`
 * (event time), `__created` (NULL without a created column) and `__pos`, the row's position in
 * the source (files in path order, rows in file order) that breaks the last ties.
 *
 * Files are read where they are (Parquet with its own types; CSV as text, then cast, so a string
 * feature keeps its leading zeros); `batches` rows are appended to a temporary table first.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FeatureDtype } from '@capstan/contracts';
import { OfflineStoreError, type OfflineField, type OfflineSource, type OfflineViewQuery } from '../../../ports/offline-store.js';
import { cellToDuckdb, duckdbType, sqlType } from './cells.js';
import { describeScan, fileScan } from './file-scans.js';
import { loadColumns } from './load-columns.js';
import type { OfflineRoot } from './offline-root.js';
import { quoteIdentifier } from './sql.js';
import { TIME_TYPES_HINT, timestampExpression } from './time-columns.js';

export interface ViewSource {
  readonly view: string;
  /** SELECT of __k0.., __ts, __created, __pos, __f0.. over every row of the source. */
  readonly sql: string;
  readonly keys: readonly (OfflineField & { column: string })[];
  readonly features: readonly (OfflineViewQuery['features'][number] & { column: string })[];
  readonly hasCreated: boolean;
  /**
   * After a query over this source failed: the error naming the column whose values (or type)
   * cannot be read as declared, or undefined when every column reads fine.
   */
  diagnose(connection: DuckDBConnection): Promise<OfflineStoreError | undefined>;
  /** Drops the temporary table of a `batches` source. */
  dispose(connection: DuckDBConnection): Promise<void>;
}

/** A relation's scan and what it holds, before casting. */
interface Scan {
  from: string;
  position: string;
  /** Column name -> DuckDB type name. */
  types: ReadonlyMap<string, string>;
  /** The temporary table of a `batches` source. */
  table?: string;
  /** A folder without files: no rows, of the declared types (a push source starts empty). */
  empty?: true;
}

interface Needed {
  sourceColumn: string;
  expression: string;
  internal: string;
  dtype: FeatureDtype | 'time';
}

function describeSource(source: OfflineSource): string {
  const { location } = source;
  return location.kind === 'files' ? `${location.format} source ${location.path}` : 'batches source';
}

/** The source column holding a view name: the field mapping read backwards. */
function sourceColumnOf(source: OfflineSource, viewName: string): string {
  for (const [column, name] of Object.entries(source.fieldMapping)) if (name === viewName) return column;
  return viewName;
}

export async function openViewSource(
  connection: DuckDBConnection,
  root: OfflineRoot,
  view: OfflineViewQuery,
  tableName: (purpose: string) => string,
): Promise<ViewSource> {
  const scan = await scanSource(connection, root, view.source, tableName);
  const where = `${describeSource(view.source)} of view ${view.view}`;
  const keys = view.joinKeys.map((key, i) => ({ ...key, column: `__k${i}` }));
  const features = view.features.map((feature, i) => ({ ...feature, column: `__f${i}` }));
  const { timestampField, createdTimestampColumn } = view.source;
  const needed: Needed[] = [
    ...keys.map((k) => valueColumn(scan, where, k.name, sourceColumnOf(view.source, k.name), k.dtype, k.column)),
    timeColumn(scan, where, timestampField, '__ts'),
    ...(createdTimestampColumn === undefined ? [] : [timeColumn(scan, where, createdTimestampColumn, '__created')]),
    ...features.map((f) => valueColumn(scan, where, f.name, sourceColumnOf(view.source, f.name), f.dtype, f.column)),
  ];
  const select = [
    ...needed.map((n) => `${n.expression} AS ${n.internal}`),
    ...(createdTimestampColumn === undefined ? ['NULL::TIMESTAMP AS __created'] : []),
    `${scan.position} AS __pos`,
  ];
  return {
    view: view.view,
    sql: `SELECT ${select.join(', ')} FROM ${scan.from}`,
    keys,
    features,
    hasCreated: createdTimestampColumn !== undefined,
    diagnose: (c) => diagnose(c, scan, where, needed),
    dispose: async (c) => {
      if (scan.table !== undefined) await c.run(`DROP TABLE IF EXISTS ${quoteIdentifier(scan.table)}`);
    },
  };
}

async function scanSource(connection: DuckDBConnection, root: OfflineRoot, source: OfflineSource, tableName: (purpose: string) => string): Promise<Scan> {
  const { location } = source;
  if (location.kind === 'batches') {
    const table = tableName('batches');
    const columns = location.columns.map((c) => ({ name: c.name, type: duckdbType(c.dtype), convert: cellToDuckdb(c.dtype) }));
    await loadColumns(connection, table, '__row', columns, location.read(), describeSource(source));
    const types = new Map(location.columns.map((c) => [c.name, sqlType(c.dtype)]));
    return { from: quoteIdentifier(table), position: '__row', types, table };
  }
  const files = await root.files(location.path, location.format);
  if (files.length === 0) return { from: '(SELECT 1 WHERE false)', position: 'NULL::BIGINT', types: new Map(), empty: true };
  const scan = fileScan(files, location.format, { asText: true });
  const types = await describeScan(connection, scan);
  return { ...scan, types };
}

function valueColumn(scan: Scan, where: string, name: string, sourceColumn: string, dtype: FeatureDtype, internal: string): Needed {
  const target = sqlType(dtype);
  if (scan.empty) return { sourceColumn, internal, dtype, expression: `NULL::${target}` };
  const type = scan.types.get(sourceColumn);
  if (type === undefined) throw missing(where, name, sourceColumn);
  const time = dtype === 'unix_timestamp' ? timestampExpression(sourceColumn, type) : undefined;
  const expression = type === target ? quoteIdentifier(sourceColumn) : (time ?? `CAST(${quoteIdentifier(sourceColumn)} AS ${target})`);
  return { sourceColumn, internal, dtype, expression };
}

function timeColumn(scan: Scan, where: string, sourceColumn: string, internal: string): Needed {
  const base = { sourceColumn, internal, dtype: 'time' as const };
  if (scan.empty) return { ...base, expression: 'NULL::TIMESTAMP' };
  const type = scan.types.get(sourceColumn);
  if (type === undefined) throw missing(where, sourceColumn, sourceColumn);
  const expression = timestampExpression(sourceColumn, type);
  if (expression === undefined) throw new OfflineStoreError(`${where}: time column ${sourceColumn} is ${type}; expected ${TIME_TYPES_HINT}`);
  return { ...base, expression };
}

function missing(where: string, name: string, sourceColumn: string): OfflineStoreError {
  const mapped = name === sourceColumn ? '' : ` (mapped to ${name})`;
  return new OfflineStoreError(`${where}: column ${sourceColumn}${mapped} is missing`);
}

async function diagnose(connection: DuckDBConnection, scan: Scan, where: string, needed: readonly Needed[]): Promise<OfflineStoreError | undefined> {
  if (scan.empty) return undefined;
  for (const column of needed) {
    const source = quoteIdentifier(column.sourceColumn);
    const wanted = column.dtype === 'time' ? 'a time' : column.dtype;
    const cannot = `${where}: column ${column.sourceColumn} (${scan.types.get(column.sourceColumn)}) cannot be read as ${wanted}`;
    try {
      const bad = await connection.runAndReadAll(
        `SELECT CAST(${source} AS VARCHAR) AS value FROM ${scan.from} WHERE ${source} IS NOT NULL AND TRY(${column.expression}) IS NULL LIMIT 1`,
      );
      const value = bad.getRowObjectsJS()[0]?.value;
      if (value !== undefined) return new OfflineStoreError(`${cannot}: ${JSON.stringify(value)}`);
    } catch (error) {
      return new OfflineStoreError(`${cannot}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  return undefined;
}
