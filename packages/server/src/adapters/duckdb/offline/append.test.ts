import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureDtype } from '@capstan/contracts';
import type { OfflineCell, OfflineField, OfflineViewQuery } from '../../../ports/offline-store.js';
import { pushFileName } from './append-rows.js';
import { hour, hourSql, writeParquetFile, useOfflineStore } from './test-support/offline-fixtures.js';

const offline = useOfflineStore();

const COLUMNS: OfflineField[] = [
  { name: 'driver_id', dtype: 'int64' },
  { name: 'ts', dtype: 'unix_timestamp' },
  { name: 'value', dtype: 'float64' },
];

const pushView = (format: 'parquet' | 'csv', features: { name: string; dtype: FeatureDtype }[] = [{ name: 'value', dtype: 'float64' }]): OfflineViewQuery => ({
  view: 'pushed',
  source: { location: { kind: 'files', format, path: 'pushes' }, timestampField: 'ts', fieldMapping: {} },
  joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
  features: features.map((f) => ({ ...f, outputName: f.name })),
  ttlMs: 0,
});

async function valuesAt(view: OfflineViewQuery, drivers: number[], times: number[]): Promise<Record<string, OfflineCell[]>> {
  const result = await offline.store().historical(
    { kind: 'columns', columns: { driver_id: drivers, ts: times }, timestampColumn: 'ts', fields: [{ name: 'driver_id', dtype: 'int64' }] },
    [view],
  );
  try {
    return await result.toColumns();
  } finally {
    await result.release();
  }
}

describe('append', () => {
  it('adds a Parquet file after the existing ones, which the next read sees and prefers on ties', async () => {
    await writeParquetFile(join(offline.dir(), 'pushes/2023-12-31.parquet'), `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts, 1.0::DOUBLE AS value`);
    expect((await valuesAt(pushView('parquet'), [1], [hour(1)])).value).toEqual([1]);

    await offline.store().append({ kind: 'files', format: 'parquet', path: 'pushes' }, COLUMNS, { driver_id: [1, 2], ts: [hour(1), hour(2)], value: [5, 6] });

    // Driver 1 has two rows at 1h: the pushed one sits in a later file.
    expect((await valuesAt(pushView('parquet'), [1, 2], [hour(1), hour(2)])).value).toEqual([5, 6]);
    const names = (await readdir(join(offline.dir(), 'pushes'))).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('2023-12-31.parquet');
    expect(names[1]).toMatch(/^push-\d{15}-[0-9a-f]{8}\.parquet$/);
  });

  it('writes CSV into a CSV folder (created when missing), values surviving the text round trip', async () => {
    const columns: OfflineField[] = [...COLUMNS, { name: 'tags', dtype: 'string[]' }, { name: 'raw', dtype: 'bytes' }, { name: 'seen', dtype: 'unix_timestamp' }];
    await offline.store().append({ kind: 'files', format: 'csv', path: 'pushes' }, columns, {
      driver_id: [1],
      ts: [hour(1)],
      value: [0.1],
      tags: [['a', 'b, c']],
      raw: [new Uint8Array([0, 10, 255])],
      seen: [hour(1) + 250],
    });
    const view = pushView('csv', [
      { name: 'value', dtype: 'float64' },
      { name: 'tags', dtype: 'string[]' },
      { name: 'raw', dtype: 'bytes' },
      { name: 'seen', dtype: 'unix_timestamp' },
    ]);
    const out = await valuesAt(view, [1], [hour(1)]);
    expect(out).toMatchObject({ value: [0.1], tags: [['a', 'b, c']], raw: [new Uint8Array([0, 10, 255])], seen: [hour(1) + 250] });
  });

  it('refuses a single-file source and undeclared columns', async () => {
    await writeParquetFile(join(offline.dir(), 'one.parquet'), `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts, 1.0::DOUBLE AS value`);
    const rows = { driver_id: [1], ts: [hour(1)], value: [2] };
    await expect(offline.store().append({ kind: 'files', format: 'parquet', path: 'one.parquet' }, COLUMNS, rows)).rejects.toThrow(
      'parquet source one.parquet is a file; rows can only be appended to a folder source',
    );
    await expect(offline.store().append({ kind: 'files', format: 'parquet', path: 'pushes' }, COLUMNS, { ...rows, extra: [1] })).rejects.toThrow(
      'Rows to append have a column extra that is not declared.',
    );
    await expect(offline.store().append({ kind: 'files', format: 'parquet', path: '../outside' }, COLUMNS, rows)).rejects.toThrow(/leaves the offline root/);
  });
});

describe('pushFileName', () => {
  it('sorts after an earlier push even when the clock is behind it', () => {
    const later = 'push-001800000000000-00000000.parquet';
    const name = pushFileName(['data.parquet', later], 'parquet', 1_700_000_000_000);
    expect(name).toMatch(/^push-001800000000001-[0-9a-f]{8}\.parquet$/);
    expect(Buffer.compare(Buffer.from(name), Buffer.from(later))).toBe(1);
    expect(pushFileName([], 'csv', 5)).toMatch(/^push-000000000000005-[0-9a-f]{8}\.csv$/);
  });
});
