/**
 * The feature store's offline side: point-in-time correct retrieval of training data, the scans
 * materialization needs, and appends from the push API, over Parquet/CSV files under one root (a
 * folder or s3://bucket/prefix) or rows a caller streams in (a table of the metadata database).
 * Implementation: adapters/duckdb/offline (DuckDB: ASOF join plus dedup).
 *
 * Names here are the view's names (after a source's field mapping). Times are epoch milliseconds.
 */
import type { FeatureDtype } from '@capstan/contracts';

/**
 * A value: numbers (int64 beyond 2^53 as a decimal string), strings, booleans, bytes, epoch ms for
 * unix_timestamp, arrays for lists, null when missing.
 */
export type OfflineCell = number | string | boolean | Uint8Array | null | OfflineCell[];

export interface OfflineField {
  name: string;
  dtype: FeatureDtype;
}

/** Where a view's rows come from. */
export type OfflineSourceLocation =
  /** A file, or every file of the format in a folder, relative to the offline root. */
  | { kind: 'files'; format: 'parquet' | 'csv'; path: string }
  /** Rows read by the caller (a SQL table), in batches of source columns. */
  | { kind: 'batches'; columns: OfflineField[]; read(): AsyncIterable<Record<string, OfflineCell[]>> };

export interface OfflineSource {
  location: OfflineSourceLocation;
  /** Source column with the event time. */
  timestampField: string;
  /** Source column with the write time; ties of one key and event time go to the latest. */
  createdTimestampColumn?: string;
  /** Source column -> view name (join keys and features). */
  fieldMapping: Readonly<Record<string, string>>;
}

export interface OfflineViewQuery {
  view: string;
  source: OfflineSource;
  joinKeys: readonly OfflineField[];
  /** The features wanted, each with the column name the result gives it. */
  features: readonly (OfflineField & { outputName: string })[];
  /** A row older than the entity row's time by more than this does not match; 0 means forever. */
  ttlMs: number;
}

/** The entity table ("spine"): join key columns plus an event time column, in the caller's order. */
export type EntityTable =
  | { kind: 'columns'; columns: Readonly<Record<string, readonly OfflineCell[]>>; timestampColumn: string; fields: readonly OfflineField[] }
  | { kind: 'files'; format: 'parquet' | 'csv'; path: string; timestampColumn: string };

/**
 * A result held by the engine until released: read it as columns or write it as Parquet. Feature
 * values are read from the sources when the result is read, so a value that cannot be cast to its
 * dtype fails toColumns / writeParquet (an OfflineStoreError naming the view and column).
 */
export interface OfflineResult {
  readonly rowCount: number;
  /** Entity table columns first (in their order), then features in request order. */
  readonly columnNames: readonly string[];
  /** In-memory entity table columns come back as they were given; file columns as cells. */
  toColumns(): Promise<Record<string, OfflineCell[]>>;
  /** Writes the result to a local Parquet file. */
  writeParquet(file: string): Promise<void>;
  release(): Promise<void>;
}

/** Latest rows per key for materialization, a batch at a time. */
export interface LatestRowsBatch {
  rows: number;
  joinKeys: Record<string, OfflineCell[]>;
  eventTimes: number[];
  /** Equal to eventTimes where the source has no created column. */
  createdTimes: number[];
  /** Keyed by the features' outputName. */
  features: Record<string, OfflineCell[]>;
}

export interface OfflineStore {
  /**
   * For every entity row and view: the latest view row with the same keys and event time <= the
   * row's time (and >= time - ttl), ties broken by created time and then by the later position
   * in the source; no match gives nulls. Rows come back in the entity table's order.
   */
  historical(entities: EntityTable, views: readonly OfflineViewQuery[]): Promise<OfflineResult>;
  /**
   * Retrieval without an entity table: the spine is every (keys, event time) the views hold in
   * [startMs, endMs], in key and time order; all views must share their join keys. The result's
   * columns are the join keys, `event_timestamp`, then the features.
   */
  historicalRange(views: readonly OfflineViewQuery[], startMs: number, endMs: number): Promise<OfflineResult>;
  /** For materialization: per key, the latest row with event time in [startMs, endMs). */
  latestPerKey(view: OfflineViewQuery, startMs: number, endMs: number, batchRows: number): AsyncIterable<LatestRowsBatch>;
  /**
   * Appends rows (source column names) as a new file in a `files` source's folder, named to sort
   * after the pushes before it and published whole; a single-file source is refused.
   */
  append(location: Extract<OfflineSourceLocation, { kind: 'files' }>, columns: readonly OfflineField[], rows: Readonly<Record<string, readonly OfflineCell[]>>): Promise<void>;
  close(): Promise<void>;
}

/** A source or entity table that cannot be read, or a query the data cannot answer; the message says which. */
export class OfflineStoreError extends Error {
  override readonly name = 'OfflineStoreError';
}
