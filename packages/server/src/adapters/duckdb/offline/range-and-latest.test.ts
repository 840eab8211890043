import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LatestRowsBatch, OfflineSource, OfflineViewQuery } from '../../../ports/offline-store.js';
import { hour, hourSql, writeParquetFile, writeTextFile, useOfflineStore } from './test-support/offline-fixtures.js';

const HALF_HOUR = 1_800_000;

const offline = useOfflineStore();

const hourly = (): OfflineViewQuery => ({
  view: 'hourly',
  source: { location: { kind: 'files', format: 'parquet', path: 'hourly.parquet' }, timestampField: 'ts', fieldMapping: {} },
  joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
  features: [{ name: 'trips', dtype: 'int64', outputName: 'trips' }],
  ttlMs: 0,
});

const ratings = (): OfflineViewQuery => ({
  view: 'ratings',
  source: {
    location: {
      kind: 'batches',
      columns: [
        { name: 'driver_id', dtype: 'int32' },
        { name: 'ts', dtype: 'unix_timestamp' },
        { name: 'rating', dtype: 'float64' },
      ],
      read: async function* () {
        yield { driver_id: [1, 2, 3], ts: [hour(1) + HALF_HOUR, hour(3), hour(0)], rating: [4.5, 3, 1] };
      },
    },
    timestampField: 'ts',
    fieldMapping: {},
  },
  joinKeys: [{ name: 'driver_id', dtype: 'int32' }],
  features: [{ name: 'rating', dtype: 'float64', outputName: 'rating' }],
  ttlMs: 0,
});

describe('historicalRange', () => {
  it('uses every (key, event time) of the views in [start, end] as the spine', async () => {
    await writeParquetFile(
      join(offline.dir(), 'hourly.parquet'),
      `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 10::BIGINT), (1, ${hourSql(2)}, 20), (2, ${hourSql(2)}, 200), (1, ${hourSql(5)}, 50)) t(driver_id, ts, trips)`,
    );
    const result = await offline.store().historicalRange([hourly(), ratings()], hour(1), hour(3));
    expect(result.columnNames).toEqual(['driver_id', 'event_timestamp', 'trips', 'rating']);
    // Spine, in key and time order: hourly's (1,1h) (1,2h) (2,2h) and ratings' (1,1.5h) (2,3h);
    // hourly's 5h row and ratings' 0h row lie outside the range. The end is inclusive.
    expect(await result.toColumns()).toEqual({
      driver_id: [1, 1, 1, 2, 2],
      event_timestamp: [hour(1), hour(1) + HALF_HOUR, hour(2), hour(2), hour(3)],
      trips: [10, 10, 20, 200, 200],
      rating: [null, 4.5, 4.5, null, 3],
    });
    await result.release();
  });

  it('refuses views with different join keys', async () => {
    const byCustomer: OfflineViewQuery = { ...ratings(), view: 'customers', joinKeys: [{ name: 'customer_id', dtype: 'int64' }] };
    await expect(offline.store().historicalRange([hourly(), byCustomer], hour(0), hour(1))).rejects.toThrow(
      'A range retrieval needs views with the same join keys: hourly has (driver_id), customers has (customer_id).',
    );
  });
});

async function collect(batches: AsyncIterable<LatestRowsBatch>): Promise<LatestRowsBatch[]> {
  const all: LatestRowsBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('latestPerKey', () => {
  it('gives per key the latest row in [start, end), ties to the later created time, in batches', async () => {
    await writeParquetFile(
      join(offline.dir(), 'trips.parquet'),
      `SELECT * FROM (VALUES
        (1::BIGINT, ${hourSql(1)}, ${hourSql(1)}, 10::BIGINT),
        (1, ${hourSql(2)}, ${hourSql(4)}, 21),
        (1, ${hourSql(2)}, ${hourSql(2)}, 20),
        (1, ${hourSql(3)}, ${hourSql(3)}, 30),
        (2, ${hourSql(1)}, ${hourSql(1)}, 100),
        (2, ${hourSql(0)}, ${hourSql(0)}, 90),
        (3, ${hourSql(0)}, ${hourSql(0)}, 5)
      ) t(driver_id, ts, created, trips)`,
    );
    const source: OfflineSource = { location: { kind: 'files', format: 'parquet', path: 'trips.parquet' }, timestampField: 'ts', createdTimestampColumn: 'created', fieldMapping: {} };
    const batches = await collect(offline.store().latestPerKey({ ...hourly(), source }, hour(1), hour(3), 1));
    expect(batches.map((b) => b.rows)).toEqual([1, 1]);
    const rows = batches
      .map((b) => ({ driver: b.joinKeys.driver_id![0], event: b.eventTimes[0], created: b.createdTimes[0], trips: b.features.trips![0] }))
      .sort((a, b) => Number(a.driver) - Number(b.driver));
    // Driver 1: the 3h row sits on the (exclusive) end; of the two 2h rows the one written at 4h wins.
    // Driver 2: the 1h row sits on the (inclusive) start. Driver 3 has nothing in range.
    expect(rows).toEqual([
      { driver: 1, event: hour(2), created: hour(4), trips: 21 },
      { driver: 2, event: hour(1), created: hour(1), trips: 100 },
    ]);
  });

  it('reports the event time as the created time when the source has no created column', async () => {
    const batches = await collect(offline.store().latestPerKey(ratings(), hour(0), hour(10), 100));
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    const order = batch!.joinKeys.driver_id!.map((_, i) => i).sort((a, b) => Number(batch!.joinKeys.driver_id![a]) - Number(batch!.joinKeys.driver_id![b]));
    expect(order.map((i) => batch!.joinKeys.driver_id![i])).toEqual([1, 2, 3]);
    expect(order.map((i) => batch!.eventTimes[i])).toEqual([hour(1) + HALF_HOUR, hour(3), hour(0)]);
    expect(batch!.createdTimes).toEqual(batch!.eventTimes);
    expect(order.map((i) => batch!.features.rating![i])).toEqual([4.5, 3, 1]);
  });

  it('names the view and column of a value that cannot be read', async () => {
    await writeTextFile(join(offline.dir(), 'bad.csv'), 'driver_id,ts,trips\n1,2024-01-01T01:00:00Z,3\n2,2024-01-01T01:00:00Z,many\n');
    const source: OfflineSource = { location: { kind: 'files', format: 'csv', path: 'bad.csv' }, timestampField: 'ts', fieldMapping: {} };
    await expect(collect(offline.store().latestPerKey({ ...hourly(), source }, hour(0), hour(2), 10))).rejects.toThrow(
      'csv source bad.csv of view hourly: column trips (VARCHAR) cannot be read as int64: "many"',
    );
  });
});
