/**
 * Reads CSV and Parquet files into columns through DuckDB: one reader for both formats, a CSV
 * sniffer that types columns the way pandas' read_csv roughly does, and Parquet's own types kept.
 * The callers (a monitor's training dataset, `capstan monitor report`) receive plain columns.
 *
 * Each column comes back with the kind of its file type, because a report needs what JavaScript
 * values cannot tell it: a DOUBLE column whose values are all whole numbers is still a float column
 * (pandas' float64), which Evidently always treats as numerical.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TableFileError, type ColumnKind, type Table, type TableCell, type TableFiles } from '../../ports/table-files.js';

const FLOAT = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|NUMERIC.*)$/;
const INTEGER = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const TEMPORAL = /^(DATE|TIME.*|TIMESTAMP.*|INTERVAL)$/;

function kindOf(duckType: string): ColumnKind {
  if (FLOAT.test(duckType)) return 'float';
  if (INTEGER.test(duckType)) return 'integer';
  if (duckType === 'BOOLEAN') return 'boolean';
  if (TEMPORAL.test(duckType)) return 'temporal';
  return 'text';
}

const quoteString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const quoteIdentifier = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The table function reading `file`, chosen by its extension (compressed CSV included). */
function source(file: string): string {
  const name = file.toLowerCase();
  const ext = extname(name.replace(/\.(gz|zst)$/, ''));
  if (ext === '.parquet' || ext === '.pq') return `read_parquet(${quoteString(file)})`;
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return `read_csv(${quoteString(file)})`;
  throw new TableFileError(`${file}: expected a .csv (.tsv, .txt, optionally .gz) or .parquet file`);
}

/**
 * How each kind is handed to JavaScript: numbers as DOUBLE (BIGINT and DECIMAL would arrive as
 * BigInt and decimal objects), booleans as they are, everything else as text (dates as ISO text,
 * which the report treats as categories unless the column mapping excludes them).
 */
function selectExpression(name: string, kind: ColumnKind): string {
  const column = quoteIdentifier(name);
  if (kind === 'float' || kind === 'integer') return `CAST(${column} AS DOUBLE)`;
  if (kind === 'boolean') return column;
  return `CAST(${column} AS VARCHAR)`;
}

async function readOne(connection: DuckDBConnection, file: string): Promise<Table> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new TableFileError(`${file}: no such file`);
  const from = source(file);
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  const schema = described.getRowObjectsJS().map((row) => ({ name: String(row.column_name), kind: kindOf(String(row.column_type)) }));
  if (schema.length === 0) throw new TableFileError(`${file}: no columns`);
  const select = schema.map(({ name, kind }) => `${selectExpression(name, kind)} AS ${quoteIdentifier(name)}`).join(', ');
  const result = await connection.runAndReadAll(`SELECT ${select} FROM ${from}`);
  const values = result.getColumnsJS() as TableCell[][];
  const columns = new Map(schema.map(({ name, kind }, i) => [name, { kind, values: values[i]! }] as const));
  return { file, rows: result.currentRowCount, columns };
}

/** Reads files, in order, with one in-memory DuckDB, closed before returning. */
async function readFiles(files: readonly string[], label: (file: string) => string = (f) => f): Promise<Table[]> {
  // Loaded on first use: DuckDB's native library costs ~130 ms and ~35 MB, which a server that
  // never reads a tabular file (and every other CLI command) should not pay at start-up.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const read = async (file: string) => {
    try {
      return await readOne(connection, file);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof TableFileError) throw new TableFileError(message.replaceAll(file, label(file)));
      // DuckDB's own message says what it could not parse; name the file it was reading.
      throw new TableFileError(`${label(file)}: ${message.replaceAll(file, label(file))}`);
    }
  };
  try {
    const tables: Table[] = [];
    for (const file of files) tables.push({ ...(await read(file)), file: label(file) });
    return tables;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export const duckdbTableFiles: TableFiles = {
  readFiles: (paths) => readFiles(paths),
  /** DuckDB reads files: the bytes go to a private temporary folder, removed afterwards. */
  async readBytes(name, bytes) {
    const dir = await mkdtemp(join(tmpdir(), 'capstan-table-'));
    const file = join(dir, basename(name));
    try {
      await writeFile(file, bytes);
      const [table] = await readFiles([file], () => name);
      return table!;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
