import type { DataSourceSpec } from '@capstan/contracts';
import { FEATURE_OBJECT, metaOf, type Branded, type MetaOptions } from './feature-object.js';
import { toFieldSpecs, type Schema } from './schema.js';

type SpecOf<K extends DataSourceSpec['kind']> = Extract<DataSourceSpec, { kind: K }>;

interface Source<N extends string, K extends DataSourceSpec['kind']> extends Branded<'data_source'> {
  readonly name: N;
  readonly spec: SpecOf<K>;
}

export type FileSource<N extends string = string> = Source<N, 'file'>;
export type SqlTableSource<N extends string = string> = Source<N, 'sql_table'>;
export type BatchSource = FileSource | SqlTableSource;

export interface PushSource<N extends string = string> extends Source<N, 'push'> {
  /** Where pushed rows are kept offline; collected into the repository with the push source. */
  readonly batchSource: BatchSource;
}

export interface RequestSource<N extends string = string, S extends Schema = Schema> extends Source<N, 'request'> {
  readonly schema: S;
}

export type DataSource = BatchSource | PushSource | RequestSource;

/** The columns every batch source names. */
export interface BatchSourceOptions extends MetaOptions {
  /** The event time column. */
  timestampField: string;
  /** When a row was written: breaks ties between rows of one key and one event time (latest wins). */
  createdTimestampColumn?: string;
  /** Source column name -> feature or join key name. */
  fieldMapping?: Readonly<Record<string, string>>;
}

function batchFields(options: BatchSourceOptions) {
  const { timestampField, createdTimestampColumn, fieldMapping, ...meta } = options;
  return {
    meta,
    fields: {
      timestamp_field: timestampField,
      ...(createdTimestampColumn !== undefined ? { created_timestamp_column: createdTimestampColumn } : {}),
      ...(fieldMapping !== undefined ? { field_mapping: { ...fieldMapping } } : {}),
    },
  };
}

/** Parquet or CSV: one file, or every such file in a folder, under the server's offline store root. */
export function fileSource<const N extends string>(options: { name: N; path: string; format: 'parquet' | 'csv' } & BatchSourceOptions): FileSource<N> {
  const { name, path, format, ...rest } = options;
  const { meta, fields } = batchFields(rest);
  return { [FEATURE_OBJECT]: 'data_source', name, spec: { ...metaOf(name, meta), kind: 'file', path, format, ...fields } };
}

/** A table in the server's metadata database (SQLite or PostgreSQL). */
export function sqlTableSource<const N extends string>(options: { name: N; table: string } & BatchSourceOptions): SqlTableSource<N> {
  const { name, table, ...rest } = options;
  const { meta, fields } = batchFields(rest);
  return { [FEATURE_OBJECT]: 'data_source', name, spec: { ...metaOf(name, meta), kind: 'sql_table', table, ...fields } };
}

/** Rows pushed through the push API, kept offline in `batchSource`. */
export function pushSource<const N extends string>(options: { name: N; batchSource: BatchSource } & MetaOptions): PushSource<N> {
  const { name, batchSource, ...meta } = options;
  return { [FEATURE_OBJECT]: 'data_source', name, batchSource, spec: { ...metaOf(name, meta), kind: 'push', batch_source: batchSource.name } };
}

/** Values the caller sends with an online request, for on-demand feature views. */
export function requestSource<const N extends string, const S extends Schema>(options: { name: N; schema: S } & MetaOptions): RequestSource<N, S> {
  const { name, schema, ...meta } = options;
  return { [FEATURE_OBJECT]: 'data_source', name, schema, spec: { ...metaOf(name, meta), kind: 'request', schema: toFieldSpecs(schema) } };
}
