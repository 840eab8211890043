import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfflineStore, OfflineViewQuery } from '../../../ports/offline-store.js';
import { createDuckdbOfflineStore } from './duckdb-offline-store.js';
import { hour, hourSql, tempFolder, writeParquetFile, writeTextFile } from './test-support/offline-fixtures.js';

/**
 * The worked example: two drivers' stats at hours 1..4, one duplicate event time decided by the
 * created time, a 2-hour TTL. Every expectation below is worked out by hand from the rows.
 */
const STATS_ROWS = `
  SELECT * FROM (VALUES
    (1001, ${hourSql(1)}, ${hourSql(1)}, 0.1, 10),
    (1001, ${hourSql(2)}, ${hourSql(2)}, 0.2, 20),
    (1001, ${hourSql(2)}, ${hourSql(3)}, 0.25, 25),
    (1001, ${hourSql(4)}, ${hourSql(4)}, 0.4, 40),
    (1002, ${hourSql(1)}, ${hourSql(1)}, 0.5, 50),
    (1002, ${hourSql(3)}, ${hourSql(3)}, 0.6, 60),
    (1002, ${hourSql(3)}, ${hourSql(2)}, 0.65, 65)
  ) AS t(driver_id, event_timestamp, created, conv_rate, trips)`;
// Row 3 beats row 2 (same event time, written later); row 6 beats row 7 although row 7 comes
// later in the file, because row 6 was written later: created time outranks position.

const statsView = (ttlMs: number): OfflineViewQuery => ({
  view: 'driver_stats',
  source: {
    location: { kind: 'files', format: 'parquet', path: 'stats/driver_stats.parquet' },
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    fieldMapping: {},
  },
  joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
  features: [
    { name: 'conv_rate', dtype: 'float32', outputName: 'driver_stats__conv_rate' },
    { name: 'trips', dtype: 'int64', outputName: 'trips' },
  ],
  ttlMs,
});

const HALF_HOUR = 1_800_000;

describe('historical retrieval: the worked example', () => {
  let store: OfflineStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const folder = await tempFolder();
    cleanup = folder.cleanup;
    await writeParquetFile(
      join(folder.dir, 'stats/driver_stats.parquet'),
      `SELECT driver_id::BIGINT AS driver_id, event_timestamp, created, conv_rate::FLOAT AS conv_rate, trips::BIGINT AS trips FROM (${STATS_ROWS})`,
    );
    store = createDuckdbOfflineStore({ root: folder.dir });
  });

  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('joins each entity row to the latest row at or before its time, in entity order, with TTL expiry', async () => {
    const entities = {
      kind: 'columns' as const,
      // Column order differs from the view's on purpose: the output keeps the entity table's order.
      columns: {
        label: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
        event_timestamp: [hour(2) + HALF_HOUR, hour(0), hour(4), hour(6), hour(2) + HALF_HOUR, hour(4), hour(5), hour(5)],
        driver_id: [1001, 1002, 1001, 1002, 1001, 1002, 1003, 1002],
      },
      timestampColumn: 'event_timestamp',
      fields: [{ name: 'driver_id', dtype: 'int64' as const }],
    };
    const result = await store.historical(entities, [statsView(2 * 3_600_000)]);
    expect(result.rowCount).toBe(8);
    expect(result.columnNames).toEqual(['label', 'event_timestamp', 'driver_id', 'driver_stats__conv_rate', 'trips']);
    const columns = await result.toColumns();
    expect(columns.label).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(columns.event_timestamp).toEqual(entities.columns.event_timestamp);
    expect(columns.driver_id).toEqual(entities.columns.driver_id);
    expect(columns.driver_stats__conv_rate).toEqual([
      Math.fround(0.25), // a: 1001 at 2:30 -> the hour-2 row written at hour 3
      null, // b: 1002 at 0:00, before any of its rows
      Math.fround(0.4), // c: 1001 at exactly 4:00 -> the hour-4 row (<= counts)
      null, // d: 1002 at 6:00 -> hour-3 row is 3 h old, beyond the 2 h TTL
      Math.fround(0.25), // e: a duplicate of a, kept
      Math.fround(0.6), // f: 1002 at 4:00 -> the hour-3 row written at hour 3, not the one written at hour 2
      null, // g: 1003 has no rows
      Math.fround(0.6), // h: 1002 at 5:00 -> the hour-3 row is exactly 2 h old: still alive
    ]);
    expect(columns.trips).toEqual([25, null, 40, null, 25, 60, null, 60]);
    await result.release();
  });

  it('with TTL 0 never expires a match', async () => {
    const entities = {
      kind: 'columns' as const,
      columns: { driver_id: [1002, 1001], event_timestamp: [hour(100), hour(1)] },
      timestampColumn: 'event_timestamp',
      fields: [{ name: 'driver_id', dtype: 'int64' as const }],
    };
    const result = await store.historical(entities, [statsView(0)]);
    expect(await result.toColumns()).toEqual({
      driver_id: [1002, 1001],
      event_timestamp: [hour(100), hour(1)],
      driver_stats__conv_rate: [Math.fround(0.6), Math.fround(0.1)],
      trips: [60, 10],
    });
    await result.release();
  });

  it('counts rows that arrived late: Feast joins on event time, not on when a row was written', async () => {
    const folder = await tempFolder();
    const late = createDuckdbOfflineStore({ root: folder.dir });
    try {
      // Happened at hour 1 but only written at hour 10, long after the entity row's hour 2.
      await writeParquetFile(
        join(folder.dir, 'late.parquet'),
        `SELECT 7::BIGINT AS driver_id, ${hourSql(1)} AS event_timestamp, ${hourSql(10)} AS created, 3.5::DOUBLE AS score`,
      );
      const view: OfflineViewQuery = {
        view: 'late',
        source: { location: { kind: 'files', format: 'parquet', path: 'late.parquet' }, timestampField: 'event_timestamp', createdTimestampColumn: 'created', fieldMapping: {} },
        joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
        features: [{ name: 'score', dtype: 'float64', outputName: 'score' }],
        ttlMs: 0,
      };
      const result = await late.historical(
        { kind: 'columns', columns: { driver_id: [7], ts: [hour(2)] }, timestampColumn: 'ts', fields: [{ name: 'driver_id', dtype: 'int64' }] },
        [view],
      );
      expect((await result.toColumns()).score).toEqual([3.5]);
      await result.release();
    } finally {
      await late.close();
      await folder.cleanup();
    }
  });

  it('joins several views in one pass and refuses output names that collide', async () => {
    const entities = {
      kind: 'columns' as const,
      columns: { driver_id: [1001, 1002], event_timestamp: [hour(3), hour(3)] },
      timestampColumn: 'event_timestamp',
      fields: [{ name: 'driver_id', dtype: 'int64' as const }],
    };
    const shortTtl: OfflineViewQuery = { ...statsView(HALF_HOUR), view: 'recent', features: [{ name: 'trips', dtype: 'int64', outputName: 'recent_trips' }] };
    const result = await store.historical(entities, [statsView(0), shortTtl]);
    const columns = await result.toColumns();
    // 1001 at 3:00 -> the hour-2 row (1 h old: too old for the 30-minute view); 1002 -> the hour-3 row.
    expect(columns.trips).toEqual([25, 60]);
    expect(columns.recent_trips).toEqual([null, 60]);
    await result.release();

    await expect(store.historical(entities, [statsView(0), statsView(0)])).rejects.toThrow(/Output column driver_stats__conv_rate .* already taken/);
  });

  it('writes a result as Parquet and releases it', async () => {
    const folder = await tempFolder();
    try {
      const entities = {
        kind: 'columns' as const,
        columns: { driver_id: [1001], event_timestamp: [hour(4)] },
        timestampColumn: 'event_timestamp',
        fields: [{ name: 'driver_id', dtype: 'int64' as const }],
      };
      const result = await store.historical(entities, [statsView(0)]);
      await result.writeParquet(join(folder.dir, 'out.parquet'));
      await result.release();
      await expect(result.toColumns()).rejects.toThrow(/released/);

      // Read it back as an entity table of another store rooted at that folder.
      const reader = createDuckdbOfflineStore({ root: folder.dir });
      try {
        const back = await reader.historical({ kind: 'files', format: 'parquet', path: 'out.parquet', timestampColumn: 'event_timestamp' }, []);
        expect(await back.toColumns()).toEqual({
          driver_id: [1001],
          event_timestamp: [hour(4)],
          driver_stats__conv_rate: [Math.fround(0.4)],
          trips: [40],
        });
      } finally {
        await reader.close();
      }
    } finally {
      await folder.cleanup();
    }
  });

  it('serves concurrent reads of one result', async () => {
    const entities = {
      kind: 'columns' as const,
      columns: { driver_id: [1001, 1002], event_timestamp: [hour(4), hour(4)] },
      timestampColumn: 'event_timestamp',
      fields: [{ name: 'driver_id', dtype: 'int64' as const }],
    };
    const result = await store.historical(entities, [statsView(0)]);
    const [a, b] = await Promise.all([result.toColumns(), result.toColumns()]);
    expect(a.trips).toEqual([40, 60]);
    expect(b).toEqual(a);
    await result.release();
  });

  it('releases what is left when the store closes, and refuses work afterwards', async () => {
    const folder = await tempFolder();
    try {
      const own = createDuckdbOfflineStore({ root: folder.dir });
      const entities = { kind: 'columns' as const, columns: { t: [hour(1)] }, timestampColumn: 't', fields: [] };
      const kept = await own.historical(entities, []);
      await own.close();
      await expect(kept.toColumns()).rejects.toThrow('This offline result has been released.');
      await expect(own.historical(entities, [])).rejects.toThrow('The offline store is closed.');
    } finally {
      await folder.cleanup();
    }
  });
});

describe('historical retrieval from a CSV source without a created column', () => {
  it('applies a TTL (a shape DuckDB once failed to plan: an internal expression type mismatch)', async () => {
    const folder = await tempFolder();
    await writeTextFile(join(folder.dir, 'ratings.csv'), 'driver_id,ts,stars\n1001,2026-01-01T00:00:00Z,4.5\n1001,2026-01-02T00:00:00Z,4.7\n1001,2026-01-02T00:00:00Z,4.8\n');
    const store = createDuckdbOfflineStore({ root: folder.dir });
    try {
      const view: OfflineViewQuery = {
        view: 'ratings',
        source: { location: { kind: 'files', format: 'csv', path: 'ratings.csv' }, timestampField: 'ts', fieldMapping: {} },
        joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
        features: [{ name: 'stars', dtype: 'float64', outputName: 'stars' }],
        ttlMs: 86_400_000,
      };
      const at = (iso: string) => Date.parse(iso);
      const result = await store.historical(
        { kind: 'columns', columns: { driver_id: [1001, 1001, 1001], event_timestamp: [at('2026-01-01T12:00:00Z'), at('2026-01-02T06:00:00Z'), at('2026-01-05T00:00:00Z')] }, timestampColumn: 'event_timestamp', fields: [{ name: 'driver_id', dtype: 'int64' }] },
        [view],
      );
      // The tie on 01-02 goes to the later line (4.8); on 01-05 the latest row is 3 days old, past the 1-day TTL.
      expect((await result.toColumns()).stars).toEqual([4.5, 4.8, null]);
      await result.release();
    } finally {
      await store.close();
      await folder.cleanup();
    }
  });
});
