import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityTable, OfflineCell, OfflineSource, OfflineViewQuery } from '../../../ports/offline-store.js';
import { hour, hourSql, writeParquetFile, writeTextFile, useOfflineStore } from './test-support/offline-fixtures.js';

const offline = useOfflineStore();

const view = (source: OfflineSource, overrides: Partial<OfflineViewQuery> = {}): OfflineViewQuery => ({
  view: 'v',
  source,
  joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
  features: [{ name: 'value', dtype: 'float64', outputName: 'value' }],
  ttlMs: 0,
  ...overrides,
});

const entities = (driverIds: OfflineCell[], times: number[], keyDtype: 'int32' | 'int64' | 'string' = 'int64'): EntityTable => ({
  kind: 'columns',
  columns: { driver_id: driverIds, event_timestamp: times },
  timestampColumn: 'event_timestamp',
  fields: [{ name: 'driver_id', dtype: keyDtype }],
});

async function retrieve(entityTable: EntityTable, views: OfflineViewQuery[]): Promise<Record<string, OfflineCell[]>> {
  const result = await offline.store().historical(entityTable, views);
  try {
    return await result.toColumns();
  } finally {
    await result.release();
  }
}

describe('file sources', () => {
  it('reads CSV: ISO times with and without offsets, text kept as text', async () => {
    await writeTextFile(
      join(offline.dir(), 'drivers.csv'),
      [
        'driver_id,event_timestamp,value,code',
        // 01:00Z written three ways: naive (UTC), with Z, and as 03:00 at +02:00.
        `1,2024-01-01 01:00:00,1.5,007`,
        `2,2024-01-01T01:00:00Z,2.5,010`,
        `3,2024-01-01T03:00:00+02:00,3.5,`,
        `1,2024-01-01T02:00:00Z,4.5,042`,
      ].join('\n'),
    );
    const source: OfflineSource = { location: { kind: 'files', format: 'csv', path: 'drivers.csv' }, timestampField: 'event_timestamp', fieldMapping: {} };
    const columns = await retrieve(entities([1, 2, 3, 1], [hour(1), hour(1), hour(1) - 1, hour(3)]), [
      view(source, {
        features: [
          { name: 'value', dtype: 'float64', outputName: 'value' },
          { name: 'code', dtype: 'string', outputName: 'code' },
        ],
      }),
    ]);
    // Driver 3's row is at 01:00Z, one millisecond after the entity row: no match.
    expect(columns.value).toEqual([1.5, 2.5, null, 4.5]);
    expect(columns.code).toEqual(['007', '010', null, '042']);
  });

  it('reads every file of a folder, and later files win ties on (key, event time)', async () => {
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'stats' }, timestampField: 'ts', fieldMapping: {} };
    await writeParquetFile(join(offline.dir(), 'stats/2024-01-a.parquet'), `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 10.0::DOUBLE), (2, ${hourSql(1)}, 20.0)) t(driver_id, ts, value)`);
    await writeParquetFile(join(offline.dir(), 'stats/2024-01-b.parquet'), `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 11.0::DOUBLE), (2, ${hourSql(2)}, 21.0)) t(driver_id, ts, value)`);
    // Neither a Parquet file nor visible: ignored.
    await writeTextFile(join(offline.dir(), 'stats/notes.txt'), 'not data');
    await writeParquetFile(join(offline.dir(), 'stats/.in-progress.parquet'), `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts, 99.0::DOUBLE AS value`);
    const columns = await retrieve(entities([1, 2, 2], [hour(1), hour(1), hour(2)]), [view(source)]);
    // Driver 1 at hour 1 exists in both files: b (later in path order) wins.
    expect(columns.value).toEqual([11, 20, 21]);
  });

  it('breaks ties within one file by row order when there is no created column', async () => {
    await writeParquetFile(join(offline.dir(), 'dups.parquet'), `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 1.0::DOUBLE), (1, ${hourSql(1)}, 2.0), (1, ${hourSql(1)}, 3.0)) t(driver_id, ts, value)`);
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'dups.parquet' }, timestampField: 'ts', fieldMapping: {} };
    expect((await retrieve(entities([1], [hour(1)]), [view(source)])).value).toEqual([3]);
  });

  it('maps source columns to view names', async () => {
    await writeParquetFile(join(offline.dir(), 'mapped.parquet'), `SELECT 5::BIGINT AS drv, ${hourSql(1)} AS happened_at, 0.5::DOUBLE AS cr`);
    const source: OfflineSource = {
      location: { kind: 'files', format: 'parquet', path: 'mapped.parquet' },
      timestampField: 'happened_at',
      fieldMapping: { drv: 'driver_id', cr: 'value' },
    };
    expect((await retrieve(entities([5], [hour(2)]), [view(source)])).value).toEqual([0.5]);
  });

  it('joins an int32 entity key to int64 source keys by value, and int64 beyond 2^53 exactly', async () => {
    const big = '9007199254740993'; // 2^53 + 1: not a JavaScript number
    await writeParquetFile(join(offline.dir(), 'keys.parquet'), `SELECT * FROM (VALUES (42::BIGINT, ${hourSql(1)}, 1.0::DOUBLE), (${big}::BIGINT, ${hourSql(1)}, 2.0)) t(driver_id, ts, value)`);
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'keys.parquet' }, timestampField: 'ts', fieldMapping: {} };
    expect((await retrieve(entities([42], [hour(1)], 'int32'), [view(source)])).value).toEqual([1]);
    // Asking a view whose key is int32 for a key beyond int32 is an error, never a silent miss.
    await expect(retrieve(entities([big], [hour(1)]), [view(source, { joinKeys: [{ name: 'driver_id', dtype: 'int32' }] })])).rejects.toThrow(
      'parquet source keys.parquet of view v: column driver_id (BIGINT) cannot be read as int32: "9007199254740993"',
    );
    const columns = await retrieve(entities([big, 42], [hour(1), hour(1)]), [view(source)]);
    expect(columns.driver_id).toEqual([big, 42]);
    expect(columns.value).toEqual([2, 1]);
  });

  it('reads an empty folder as a source without rows', async () => {
    await writeTextFile(join(offline.dir(), 'pushed/README'), 'no data yet');
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'pushed' }, timestampField: 'ts', fieldMapping: {} };
    expect((await retrieve(entities([1], [hour(1)]), [view(source)])).value).toEqual([null]);
  });
});

describe('entity tables in files', () => {
  it('reads a CSV entity table with its own types, rows in file order', async () => {
    await writeParquetFile(join(offline.dir(), 'stats.parquet'), `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 1.5::DOUBLE), (2, ${hourSql(2)}, 2.5)) t(driver_id, ts, value)`);
    await writeTextFile(join(offline.dir(), 'spine/rows.csv'), 'driver_id,event_timestamp,label\n2,2024-01-01T03:00:00Z,late\n1,2024-01-01T00:30:00Z,early\n1,2024-01-01T01:00:00Z,on time\n');
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'stats.parquet' }, timestampField: 'ts', fieldMapping: {} };
    const result = await offline.store().historical({ kind: 'files', format: 'csv', path: 'spine', timestampColumn: 'event_timestamp' }, [view(source)]);
    expect(result.columnNames).toEqual(['driver_id', 'event_timestamp', 'label', 'value']);
    expect(await result.toColumns()).toEqual({
      driver_id: [2, 1, 1],
      event_timestamp: [hour(3), hour(0) + 1_800_000, hour(1)],
      label: ['late', 'early', 'on time'],
      value: [2.5, null, 1.5],
    });
    await result.release();
  });
});

describe('batches sources', () => {
  it('streams rows in, positions counting across batches', async () => {
    const batches = [
      { driver_id: [1, 2], ts: [hour(1), hour(1)], value: [1, 2] },
      // Same key and time as the first row: arrives later, so it wins.
      { driver_id: [1], ts: [hour(1)], value: [10] },
    ];
    const source: OfflineSource = {
      location: {
        kind: 'batches',
        columns: [
          { name: 'driver_id', dtype: 'int64' },
          { name: 'ts', dtype: 'unix_timestamp' },
          { name: 'value', dtype: 'float64' },
        ],
        read: async function* () {
          yield* batches;
        },
      },
      timestampField: 'ts',
      fieldMapping: {},
    };
    expect((await retrieve(entities([1, 2], [hour(2), hour(2)]), [view(source)])).value).toEqual([10, 2]);
  });
});

describe('source errors', () => {
  const parquet = (path: string, overrides: Partial<OfflineSource> = {}): OfflineSource => ({
    location: { kind: 'files', format: 'parquet', path },
    timestampField: 'ts',
    fieldMapping: {},
    ...overrides,
  });

  it('refuses paths outside the root', async () => {
    await expect(retrieve(entities([1], [hour(1)]), [view(parquet('../../etc/passwd'))])).rejects.toThrow(/leaves the offline root/);
    await expect(retrieve(entities([1], [hour(1)]), [view(parquet('/etc/passwd'))])).rejects.toThrow(/is absolute/);
  });

  it('names the view, column and source of a missing column', async () => {
    await writeParquetFile(join(offline.dir(), 'short.parquet'), `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts`);
    await expect(retrieve(entities([1], [hour(1)]), [view(parquet('short.parquet'))])).rejects.toThrow(
      'parquet source short.parquet of view v: column value is missing',
    );
    await expect(retrieve(entities([1], [hour(1)]), [view(parquet('short.parquet', { fieldMapping: { val: 'value' } }))])).rejects.toThrow(
      'column val (mapped to value) is missing',
    );
  });

  it('names the column and value that cannot be cast', async () => {
    await writeTextFile(join(offline.dir(), 'bad.csv'), 'driver_id,ts,value\n1,2024-01-01T01:00:00Z,1.5\n2,2024-01-01T01:00:00Z,lots\n');
    const source: OfflineSource = { location: { kind: 'files', format: 'csv', path: 'bad.csv' }, timestampField: 'ts', fieldMapping: {} };
    await expect(retrieve(entities([1], [hour(1)]), [view(source)])).rejects.toThrow('csv source bad.csv of view v: column value (VARCHAR) cannot be read as float64: "lots"');
  });

  it('refuses a time column that is not a time', async () => {
    await writeParquetFile(join(offline.dir(), 'epoch.parquet'), `SELECT 1::BIGINT AS driver_id, 1704067200::BIGINT AS ts, 1.0::DOUBLE AS value`);
    await expect(retrieve(entities([1], [hour(1)]), [view(parquet('epoch.parquet'))])).rejects.toThrow(/time column ts is BIGINT; expected a TIMESTAMP/);
  });

  it('refuses an entity table without the join key', async () => {
    await writeParquetFile(join(offline.dir(), 'ok.parquet'), `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts, 1.0::DOUBLE AS value`);
    const noKey: EntityTable = { kind: 'columns', columns: { ts: [hour(1)] }, timestampColumn: 'ts', fields: [] };
    await expect(retrieve(noKey, [view(parquet('ok.parquet'))])).rejects.toThrow('View v joins on driver_id, which the entity table does not have.');
  });
});
