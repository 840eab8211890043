/** Fixture files for the offline store's tests, written by a DuckDB of their own. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Epoch ms of 2024-01-01T00:00Z plus `n` hours: the fixtures' clock. */
export const hour = (n: number): number => Date.UTC(2024, 0, 1) + n * 3_600_000;

/** SQL TIMESTAMP literal of `hour(n)`. */
export const hourSql = (n: number): string => `TIMESTAMP '${new Date(hour(n)).toISOString().replace('T', ' ').replace('Z', '')}'`;

export async function tempFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-offline-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes the rows of a SELECT as a Parquet file (folders created). */
export async function writeParquetFile(file: string, select: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function writeTextFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
