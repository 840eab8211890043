import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRepoDefinition } from '@capstan/contracts';
import { openDatabase } from '../../adapters/sql/open-database.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { FEATURES_DEFAULTS } from '../../core/config.js';
import type { SqlDatabase } from '../../ports/sql.js';

const API = '/api/capstan/v1/features';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Trips in a table of the metadata database, keyed by an int32 entity. */
function tripsRepo(): FeatureRepoDefinition {
  return {
    project: 'trips',
    entities: [{ name: 'rider', join_keys: [{ name: 'rider_id', dtype: 'int32' }] }],
    data_sources: [
      { name: 'trips_table', kind: 'sql_table', table: 'trip_features', timestamp_field: 'ts', field_mapping: { fare_usd: 'fare' } },
      { name: 'trips_push', kind: 'push', batch_source: 'trips_table' },
    ],
    feature_views: [
      {
        name: 'rider_trips',
        entities: ['rider'],
        source: 'trips_push',
        schema: [
          { name: 'fare', dtype: 'float64' },
          { name: 'city', dtype: 'string' },
        ],
        // A TTL with no created-timestamp column: a shape DuckDB once failed to plan.
        ttl_seconds: 10 * 365 * 86_400,
        online: true,
      },
    ],
    on_demand_feature_views: [],
    feature_services: [],
  };
}

/**
 * A `sql_table` source read from the metadata database itself (SQLite or PostgreSQL), with its
 * times stored as ISO text and its key declared int32 while the table holds BIGINT values: the
 * key never silently misses a row.
 */
describe.each(TEST_DIALECTS)('feature sql_table sources on %s', (dialect) => {
  let t: TestApp;
  let dir: string;
  let store: TestDatabase<unknown> | undefined;
  let direct: SqlDatabase<unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capstan-sqlsource-'));
    let uri: string;
    if (dialect === 'sqlite') {
      uri = `sqlite:///${join(dir, 'capstan.db')}`;
    } else {
      store = await createTestDatabase('postgres');
      await store.database.close();
      uri = store.uri;
    }
    t = await createTestApp(dialect, { backendStoreUri: uri, features: { ...FEATURES_DEFAULTS, offlineStoreUri: dir, onlineStoreUri: 'sqlite://:memory:', schedulerEnabled: false } });
    direct = openDatabase<unknown>(uri);
    await sql`create table trip_features (rider_id bigint not null, ts text not null, fare_usd double precision, city text)`.execute(direct.db);
    await sql`insert into trip_features values (7, ${iso(T0)}, 12.5, 'Colombo'), (7, ${iso(T0 + 3600_000)}, 20, 'Kandy'), (8, ${iso(T0)}, 9, null)`.execute(direct.db);
  });
  afterAll(async () => {
    await direct?.close();
    await t?.cleanup();
    await store?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('retrieves, materializes and pushes through the table', async () => {
    expect((await t.app.inject({ method: 'POST', url: `${API}/apply`, payload: { definition: tripsRepo(), base_revision: 0 } })).statusCode).toBe(200);
    const history = await t.app.inject({
      method: 'POST',
      url: `${API}/projects/trips/historical-features`,
      payload: { entity_rows: { rider_id: [7, 7, 8], event_timestamp: [iso(T0 + 60_000), iso(T0 + 7200_000), iso(T0)] }, features: ['rider_trips:fare', 'rider_trips:city'] },
    });
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().values).toMatchObject({ fare: [12.5, 20, 9], city: ['Colombo', 'Kandy', null] });

    const materialized = await t.app.inject({ method: 'POST', url: '/feature-server/trips/materialize', payload: { start_ts: iso(T0 - 1000), end_ts: iso(T0 + 86_400_000) } });
    expect(materialized.statusCode, materialized.body).toBe(200);
    expect(materialized.json().views[0].rows).toBe(2);
    const online = await t.app.inject({ method: 'POST', url: '/feature-server/trips/get-online-features', payload: { features: ['rider_trips:fare', 'rider_trips:city'], entities: { rider_id: [7, 8, 2147483647] } } });
    expect(online.json().results.map((r: { values: unknown[] }) => r.values)).toEqual([
      [7, 8, 2147483647],
      [20, 9, null],
      ['Kandy', null, null],
    ]);
    expect(online.json().results[2].statuses).toEqual(['PRESENT', 'NULL_VALUE', 'NOT_FOUND']);
    const outOfRange = await t.app.inject({ method: 'POST', url: '/feature-server/trips/get-online-features', payload: { features: ['rider_trips:fare'], entities: { rider_id: [2147483648] } } });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().message).toContain('expected int32');

    const pushed = await t.app.inject({
      method: 'POST',
      url: '/feature-server/trips/push',
      payload: { push_source_name: 'trips_push', df: { rider_id: [9], ts: [iso(T0)], fare: [4.25], city: ['Galle'] }, to: 'online_and_offline' },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    // Offline, the row lands in the table under its own column names (field_mapping reversed).
    const { rows } = await sql<{ fare_usd: number; city: string }>`select fare_usd, city from trip_features where rider_id = 9`.execute(direct.db);
    expect(rows).toEqual([{ fare_usd: 4.25, city: 'Galle' }]);
  });
});
