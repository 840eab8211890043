/**
 * Tabular files (CSV, Parquet) read into columns: for a monitor's training dataset and for
 * `capstan monitor report`. One adapter (DuckDB) reads both formats.
 */

/** What a column's file type says about it (a DOUBLE column of whole numbers is still float). */
export type ColumnKind = 'float' | 'integer' | 'boolean' | 'temporal' | 'text';

export type TableCell = number | string | boolean | null;

export interface Table {
  /** The file's name, for messages. */
  readonly file: string;
  readonly rows: number;
  /** In file order. */
  readonly columns: ReadonlyMap<string, { kind: ColumnKind; values: TableCell[] }>;
}

export interface TableFiles {
  /** Reads files from disk, by path. */
  readFiles(paths: readonly string[]): Promise<Table[]>;
  /** Reads a file held in memory; `name` (its extension) says the format. */
  readBytes(name: string, bytes: Buffer): Promise<Table>;
}

/** A file that is missing, of an unknown format or unreadable; the message names the file. */
export class TableFileError extends Error {
  override readonly name = 'TableFileError';
}
