/** Fixture files for the offline store's tests, written by a DuckDB of their own. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach } from 'vitest';
import type { OfflineStore } from '../../../../ports/offline-store.js';
import { createDuckdbOfflineStore } from '../duckdb-offline-store.js';

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

/**
 * A fresh offline root and store for every test of the calling file: `dir()` and `store()` give the
 * current ones; both are closed and removed after each test.
 */
export function useOfflineStore(): { dir(): string; store(): OfflineStore } {
  let current: { dir: string; cleanup: () => Promise<void>; store: OfflineStore } | undefined;
  beforeEach(async () => {
    const folder = await tempFolder();
    current = { ...folder, store: createDuckdbOfflineStore({ root: folder.dir }) };
  });
  afterEach(async () => {
    await current?.store.close();
    await current?.cleanup();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('useOfflineStore: no test is running');
    return current;
  };
  return { dir: () => now().dir, store: () => now().store };
}
