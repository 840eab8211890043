import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeaturePlan, GetOnlineFeaturesResponse, HistoricalFeaturesResponse } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { FEATURES_DEFAULTS } from '../../core/config.js';
import { driverRepo, HOUR, writeDriverData } from './test-support/driver-repo.js';

const API = '/api/capstan/v1/features';
const PROJECT = 'drivers';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The "done means": a feature repository applies, builds a point-in-time correct training
 * set (hand-computed below, with TTL expiry, a created-time tie-break and a late-arriving row),
 * materializes, and serves online through the Feast-compatible endpoint.
 */
describe.each(TEST_DIALECTS)('feature store on %s', (dialect) => {
  let t: TestApp;
  let root: string;
  const base = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });
  const plan = async (definition = driverRepo(PROJECT)) => {
    const res = await post(`${API}/plan`, { definition });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<FeaturePlan>();
  };
  const online = async (body: object) => {
    const res = await post(`/feature-server/${PROJECT}/get-online-features`, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<GetOnlineFeaturesResponse>();
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'capstan-offline-'));
    await writeDriverData(root, base);
    t = await createTestApp(dialect, { features: { ...FEATURES_DEFAULTS, offlineStoreUri: root, onlineStoreUri: 'sqlite://:memory:', schedulerEnabled: false } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('plans a new project as creations and applies exactly that plan', async () => {
    const first = await plan();
    expect(first.base_revision).toBe(0);
    expect(first.changes.every((c) => c.action === 'create')).toBe(true);
    expect(first.changes.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'entity:driver',
      'data_source:driver_push',
      'data_source:driver_ratings',
      'data_source:driver_stats',
      'data_source:trip_request',
      'feature_view:driver_daily',
      'feature_view:driver_hourly',
      'on_demand_feature_view:conv_plus',
      'feature_service:driver_activity',
    ]);
    const applied = await post(`${API}/apply`, { definition: driverRepo(PROJECT), base_revision: first.base_revision });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ project: PROJECT, revision: 1 });
    const again = await plan();
    expect(again.base_revision).toBe(1);
    expect(again.changes.every((c) => c.action === 'unchanged')).toBe(true);
  });

  it('flags breaking changes, refuses a stale revision and unflagged deletions', async () => {
    const changed = driverRepo(PROJECT);
    changed.feature_views[0]!.schema[1]!.dtype = 'float64';
    changed.feature_services = [];
    const p = await plan(changed);
    expect(p.has_breaking_changes).toBe(true);
    expect(p.changes.find((c) => c.name === 'driver_hourly')).toMatchObject({ action: 'update', changed_fields: ['schema'], breaking: ["feature 'trips' changes dtype from int64 to float64"] });
    expect(p.deletions).toBe(1);

    const stale = await post(`${API}/apply`, { definition: changed, base_revision: 0, allow_deletes: true });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error_code).toBe('RESOURCE_CONFLICT');
    const unflagged = await post(`${API}/apply`, { definition: changed, base_revision: 1 });
    expect(unflagged.statusCode).toBe(400);
    expect(unflagged.json().message).toContain("feature_service 'driver_activity'");
    // Nothing was stored by either refusal.
    expect((await plan()).changes.every((c) => c.action === 'unchanged')).toBe(true);
  });

  it('refuses definitions with broken references, naming them', async () => {
    const broken = driverRepo(PROJECT);
    broken.feature_views[1]!.entities = ['rider'];
    const res = await post(`${API}/plan`, { definition: broken });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe("Feature view 'driver_daily': entity 'rider' is not defined");
    const badDtype = await post(`${API}/plan`, { definition: { ...driverRepo(PROJECT), entities: [{ name: 'driver', join_keys: [{ name: 'driver_id', dtype: 'int128' }] }] } });
    expect(badDtype.statusCode).toBe(400);
    expect(badDtype.json().message).toContain('entities.0.join_keys.0.dtype');
    const badCode = driverRepo(PROJECT);
    badCode.on_demand_feature_views[0]!.transformation = '(row) => {';
    const compile = await post(`${API}/plan`, { definition: badCode });
    expect(compile.statusCode).toBe(400);
    expect(compile.json().message).toContain("On-demand feature view 'conv_plus': the transformation does not compile");
  });

  it('builds a point-in-time correct training set', async () => {
    const rows: [number, number][] = [
      [1001, base + HOUR],
      [1001, base + 3 * HOUR],
      [1001, base + 5.5 * HOUR],
      [1001, base + 7 * HOUR],
      [1002, base + 0.5 * HOUR],
      [1002, base + 3 * HOUR + 59 * 60_000],
      [1003, base + 3 * HOUR],
      [1001, base + 3 * HOUR],
      [1001, base + 5 * HOUR],
    ];
    const res = await post(`${API}/projects/${PROJECT}/historical-features`, {
      entity_rows: { driver_id: rows.map((r) => r[0]), event_timestamp: rows.map((r) => iso(r[1])), label: rows.map((_, i) => i % 2) },
      features: ['driver_hourly:conv_rate', 'driver_hourly:trips', 'driver_daily:rating'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<HistoricalFeaturesResponse>();
    expect(body.columns).toEqual(['driver_id', 'event_timestamp', 'label', 'conv_rate', 'trips', 'rating']);
    expect(body.row_count).toBe(9);
    expect(body.values!.driver_id).toEqual(rows.map((r) => r[0]));
    expect(body.values!.label).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    // 1: the +0 row; 2: the +2 tie goes to the later-created 0.25; 3: +2 is 3.5 h old, past the TTL;
    // 4: the +6 row although it was written a day later (event time decides); 5: before 1002's first
    // row; 6: 1002's +1 row, 2 h 59 min old; 7: an unknown driver; 8: row 2 again; 9: exactly at the TTL.
    expect(body.values!.conv_rate).toEqual([0.1, 0.25, null, 0.6, null, 0.5, null, 0.25, 0.25]);
    expect(body.values!.trips).toEqual([10, 25, null, 60, null, 50, null, 25, 25]);
    // TTL 0: the latest rating at or before the row's time, however old.
    expect(body.values!.rating).toEqual([4.5, 4.5, 4.7, 4.7, 3.9, 3.9, null, 4.5, 4.7]);

    // On-demand features see each row's point-in-time inputs and the entity table's request data.
    const full = await post(`${API}/projects/${PROJECT}/historical-features`, {
      entity_rows: { driver_id: [1001, 1001, 1003], event_timestamp: [iso(base + 3 * HOUR), iso(base + 7 * HOUR), iso(base)], val_to_add: [5, 7, 1] },
      feature_service: 'driver_activity',
      full_feature_names: true,
    });
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json().columns).toEqual(['driver_id', 'event_timestamp', 'val_to_add', 'driver_hourly__conv_rate', 'driver_daily__rating', 'conv_plus__conv_rate_plus_val']);
    expect(full.json().values).toMatchObject({ driver_hourly__conv_rate: [0.25, 0.6, null], conv_plus__conv_rate_plus_val: [30, 67, null] });
    const noRequestData = await post(`${API}/projects/${PROJECT}/historical-features`, {
      entity_rows: { driver_id: [1001], event_timestamp: [iso(base + HOUR)] },
      feature_service: 'driver_activity',
    });
    expect(noRequestData.statusCode).toBe(400);
    expect(noRequestData.json().message).toContain("the entity table lacks 'val_to_add'");
  });

  it('retrieves a time range without an entity table: every key and event time the views hold in it', async () => {
    const res = await post(`${API}/projects/${PROJECT}/historical-features`, {
      start_date: iso(base),
      end_date: iso(base + 2 * HOUR),
      features: ['driver_hourly:conv_rate', 'driver_hourly:trips'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<HistoricalFeaturesResponse>();
    expect(body.columns).toEqual(['driver_id', 'event_timestamp', 'conv_rate', 'trips']);
    // Both ends inclusive; the +2 tie is one spine row, answered by the later-created value.
    expect(body.values).toEqual({
      driver_id: [1001, 1001, 1002],
      event_timestamp: [iso(base), iso(base + 2 * HOUR), iso(base + HOUR)],
      conv_rate: [0.1, 0.25, 0.5],
      trips: [10, 25, 50],
    });
    const both = await post(`${API}/projects/${PROJECT}/historical-features`, { start_date: iso(base), entity_rows: { driver_id: [1], event_timestamp: [iso(base)] }, features: ['driver_hourly:trips'] });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toContain('not both or neither');
  });

  it('names a missing source file or column in a 400, not a server error', async () => {
    const missing = driverRepo('missing_files');
    missing.data_sources[1] = { name: 'driver_ratings', kind: 'file', path: 'nowhere.csv', format: 'csv', timestamp_field: 'ts' };
    expect((await post(`${API}/apply`, { definition: missing, base_revision: 0 })).statusCode).toBe(200);
    const res = await post(`${API}/projects/missing_files/historical-features`, { entity_rows: { driver_id: [1001], event_timestamp: [iso(base)] }, features: ['driver_daily:rating'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('nowhere.csv');
    const materialize = await post('/feature-server/missing_files/materialize', { start_ts: iso(base), end_ts: iso(base + HOUR), feature_views: ['driver_daily'] });
    expect(materialize.statusCode).toBe(400);
    expect(materialize.json()).toMatchObject({ module: 'capstan', class: 'INVALID_PARAMETER_VALUE' });
    const noColumn = driverRepo('missing_column');
    noColumn.feature_views[1]!.schema = [{ name: 'speed', dtype: 'float64' }];
    noColumn.feature_services = [];
    expect((await post(`${API}/apply`, { definition: noColumn, base_revision: 0 })).statusCode).toBe(200);
    const column = await post(`${API}/projects/missing_column/historical-features`, { entity_rows: { driver_id: [1001], event_timestamp: [iso(base)] }, features: ['driver_daily:speed'] });
    expect(column.statusCode).toBe(400);
    expect(column.json().message).toContain('speed');
  });

  it('refuses colliding feature names unless full names are asked for', async () => {
    const collide = driverRepo(PROJECT);
    collide.feature_views[1]!.schema = [{ name: 'conv_rate', dtype: 'float64' }];
    collide.data_sources[1] = { name: 'driver_ratings', kind: 'file', path: 'ratings.csv', format: 'csv', timestamp_field: 'ts', field_mapping: { stars: 'conv_rate' } };
    collide.feature_services = [];
    collide.project = 'collide';
    expect((await post(`${API}/apply`, { definition: collide, base_revision: 0 })).statusCode).toBe(200);
    const request = { entity_rows: { driver_id: [1001], event_timestamp: [iso(base + 5 * HOUR)] }, features: ['driver_hourly:conv_rate', 'driver_daily:conv_rate'] };
    const refused = await post(`${API}/projects/collide/historical-features`, request);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain("Feature name collision: 'conv_rate'");
    const full = await post(`${API}/projects/collide/historical-features`, { ...request, full_feature_names: true });
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json().values).toMatchObject({ driver_hourly__conv_rate: [0.25], driver_daily__conv_rate: [4.7] });
  });

  it('materializes incrementally, never replacing newer values, and serves Feast JSON online', async () => {
    const first = await post(`/feature-server/${PROJECT}/materialize-incremental`, { end_ts: iso(base + 3 * HOUR), feature_views: ['driver_hourly'] });
    expect(first.statusCode, first.body).toBe(200);
    // The first incremental run starts TTL (3 h) before its end.
    expect(first.json().views).toEqual([{ view: 'driver_hourly', start: iso(base), end: iso(base + 3 * HOUR), rows: 2 }]);
    const mid = await online({ features: ['driver_hourly:conv_rate', 'driver_hourly:trips'], entities: { driver_id: [1001, 1002, 9999] } });
    // Read now, base+8h: 1001's +2 row is 6 h old and 1002's +1 row 7 h old, both past the 3 h TTL.
    expect(mid.results[1]!.statuses).toEqual(['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
    expect(mid.results[1]!.event_timestamps).toEqual([iso(base + 2 * HOUR), iso(base + HOUR), '1970-01-01T00:00:00Z']);

    const second = await post(`/feature-server/${PROJECT}/materialize-incremental`, { end_ts: iso(base + 12 * HOUR) });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().views).toEqual([
      { view: 'driver_hourly', start: iso(base + 3 * HOUR), end: iso(base + 12 * HOUR), rows: 1 },
      { view: 'driver_daily', start: iso(0), end: iso(base + 12 * HOUR), rows: 2 },
    ]);
    // Re-materializing the old interval finds the +2 row, older than the +6 one stored: skipped.
    const replay = await post(`/feature-server/${PROJECT}/materialize`, {
      start_ts: iso(base),
      end_ts: iso(base + 3 * HOUR),
      feature_views: ['driver_hourly'],
    });
    expect(replay.statusCode, replay.body).toBe(200);

    const res = await online({ features: ['driver_hourly:conv_rate', 'driver_hourly:trips', 'driver_daily:rating'], entities: { driver_id: [1001, 1002, 9999] } });
    expect(res.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'trips', 'rating']);
    expect(res.results[0]).toEqual({ values: [1001, 1002, 9999], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: Array(3).fill('1970-01-01T00:00:00Z') });
    expect(res.results[1]).toEqual({
      values: [0.6, null, null],
      statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND'],
      event_timestamps: [iso(base + 6 * HOUR), iso(base + HOUR), '1970-01-01T00:00:00Z'],
    });
    expect(res.results[2]!.values).toEqual([60, null, null]);
    // TTL 0 never expires.
    expect(res.results[3]).toEqual({ values: [4.7, 3.9, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: [iso(base + 4 * HOUR), iso(base - HOUR), '1970-01-01T00:00:00Z'] });

    const status = await t.app.inject({ method: 'GET', url: `${API}/projects/${PROJECT}/feature-views/driver_hourly/status` });
    expect(status.json()).toMatchObject({ view: 'driver_hourly', materialized_until: iso(base + 12 * HOUR), newest_event_time: iso(base + 6 * HOUR), freshness_sla_seconds: 3600, stale: true });
    expect(status.json().materializations).toHaveLength(3);
  });

  it('runs on-demand views on fetched features and request data, through a feature service', async () => {
    const res = await online({ feature_service: 'driver_activity', entities: { driver_id: [1001, 9999], val_to_add: [5, 7] } });
    expect(res.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'rating', 'conv_rate_plus_val']);
    expect(res.results[3]!.values).toEqual([65, null]);
    const missing = await post(`/feature-server/${PROJECT}/get-online-features`, { feature_service: 'driver_activity', entities: { driver_id: [1001] } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ module: 'capstan', class: 'INVALID_PARAMETER_VALUE', message: "entities lack 'val_to_add', the request data of 'trip_request'" });
  });

  it('answers bad online requests in Feast error JSON', async () => {
    const cases: [object, number, string][] = [
      [{ features: ['driver_hourly:conv_rate'], entities: { driver_id: ['abc'] } }, 400, 'entities.driver_id[0] (join key of feature view \'driver_hourly\'): expected int64, got "abc"'],
      [{ features: ['driver_hourly:conv_rate'], entities: { driver_id: [null] } }, 400, 'entities.driver_id[0] is null'],
      [{ features: ['driver_hourly:conv_rate'], entities: { driver_id: [1001], other: [1, 2] } }, 400, 'entities columns differ in length'],
      [{ features: ['driver_hourly:speed'], entities: { driver_id: [1001] } }, 404, "Feature 'speed' not found in feature view 'driver_hourly'"],
      [{ features: ['nope:x'], entities: { driver_id: [1001] } }, 404, "Feature view 'nope' of reference 'nope:x' not found"],
      [{ feature_service: 'nope', entities: { driver_id: [1001] } }, 404, "Feature service 'nope' not found"],
      [{ features: [42], entities: { driver_id: [1001] } }, 400, 'features must be an array of "view:feature" strings'],
      [{ features: 'driver_hourly:conv_rate', entities: { driver_id: [1001] } }, 400, 'features must be an array'],
      [{ feature_service: 7, entities: { driver_id: [1001] } }, 400, 'feature_service must be a string'],
      [{ features: ['driver_hourly:conv_rate'], entities: [1001] }, 400, 'entities must be an object of columns'],
      [{ features: ['driver_hourly:conv_rate'] }, 400, 'entities must be an object of columns'],
      [{ features: ['driver_hourly:conv_rate'], entities: { rider_id: [1] } }, 400, "entities lack 'driver_id'"],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(`/feature-server/${PROJECT}/get-online-features`, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().message).toContain(message);
      expect(res.json().module).toBe('capstan');
    }
    const unknown = await post('/feature-server/nope/get-online-features', { features: ['a:b'], entities: { x: [1] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe("Feature project 'nope' not found");
  });

  it('pushes rows online and offline after checking every column, storing nothing from a bad push', async () => {
    const now = Date.now();
    const bad = await post(`/feature-server/${PROJECT}/push`, {
      push_source_name: 'driver_push',
      df: { driver_id: [1002, 1.5], event_timestamp: [iso(now), iso(now)], conv_rate: [0.9, 0.9], trips: [90, 90] },
      to: 'online_and_offline',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('df.driver_id[1]: expected int64');
    expect(await readdir(join(root, 'driver_stats'))).toEqual(['part-0.csv']);

    const good = await post(`/feature-server/${PROJECT}/push`, {
      push_source_name: 'driver_push',
      df: { driver_id: [1002], event_timestamp: [iso(now)], conv_rate: [0.9], trips: [90] },
      to: 'online_and_offline',
    });
    expect(good.statusCode, good.body).toBe(200);
    const res = await online({ features: ['driver_hourly:conv_rate'], entities: { driver_id: [1002] } });
    expect(res.results[1]).toMatchObject({ values: [0.9], statuses: ['PRESENT'] });
    expect((await readdir(join(root, 'driver_stats'))).length).toBe(2);
    const history = await post(`${API}/projects/${PROJECT}/historical-features`, {
      entity_rows: { driver_id: [1002], event_timestamp: [iso(now + 1000)] },
      features: ['driver_hourly:trips'],
    });
    expect(history.json().values.trips).toEqual([90]);

    const direct = await post(`/feature-server/${PROJECT}/write-to-online-store`, {
      feature_view_name: 'driver_daily',
      df: { driver_id: [1003], ts: [iso(now)], rating: [5] },
    });
    expect(direct.statusCode, direct.body).toBe(200);
    expect((await online({ features: ['driver_daily:rating'], entities: { driver_id: [1003] } })).results[1]!.values).toEqual([5]);
  });

  it('saves a training dataset to a run, so lineage reaches the features', async () => {
    const experiment = await t.mlflow('POST', '/experiments/create', { name: `features-${dialect}` });
    const run = await t.mlflow('POST', '/runs/create', { experiment_id: experiment.json().experiment_id });
    const runId = run.json().run.info.run_id as string;
    const res = await post(`${API}/projects/${PROJECT}/historical-features`, {
      entity_rows: { driver_id: [1001, 1002], event_timestamp: [iso(base + 3 * HOUR), iso(base + 3 * HOUR)] },
      features: ['driver_hourly:conv_rate'],
      save_as: { name: 'driver_training', run_id: runId },
      return_rows: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    const { dataset, values } = res.json<HistoricalFeaturesResponse>();
    expect(values).toBeUndefined();
    expect(dataset).toMatchObject({ name: 'driver_training', version: 1, row_count: 2, uri: `runs:/${runId}/feature-datasets/driver_training/driver_training-v1.parquet`, features: ['driver_hourly:conv_rate'], run_id: runId });
    expect(dataset!.digest).toMatch(/^[0-9a-f]{64}$/);
    const logged = await t.mlflow('GET', '/runs/get', { run_id: runId });
    const input = logged.json().run.inputs.dataset_inputs[0];
    expect(input.dataset).toMatchObject({ name: 'driver_training', digest: dataset!.digest.slice(0, 36), source_type: 'capstan-feature-store' });
    expect(input.tags).toEqual([{ key: 'mlflow.data.context', value: 'training' }]);
    const listed = await t.app.inject({ method: 'GET', url: `${API}/projects/${PROJECT}/datasets` });
    expect(listed.json().datasets).toHaveLength(1);
  });

  it('gives concurrent saves of one dataset name different versions and files', async () => {
    const save = () =>
      post(`${API}/projects/${PROJECT}/historical-features`, {
        entity_rows: { driver_id: [1001], event_timestamp: [iso(base + 3 * HOUR)] },
        features: ['driver_hourly:conv_rate'],
        save_as: { name: 'snapshot' },
        return_rows: false,
      });
    const saved = (await Promise.all([save(), save(), save()])).map((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return r.json<HistoricalFeaturesResponse>().dataset!;
    });
    expect(saved.map((d) => d.version).sort()).toEqual([1, 2, 3]);
    expect(new Set(saved.map((d) => d.uri)).size).toBe(3);
    expect(saved[0]!.uri).toMatch(new RegExp(`^mlflow-artifacts:/feature-datasets/${PROJECT}/snapshot/snapshot-v[123]\\.parquet$`));
  });

  it('exports freshness gauges against each view SLA', async () => {
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/capstan_feature_view_freshness_sla_seconds\{project="drivers",feature_view="driver_hourly"\} 3600/);
    const staleness = Number(/capstan_feature_view_staleness_seconds\{project="drivers",feature_view="driver_hourly"\} ([\d.e+]+)/.exec(metrics)?.[1]);
    // The push above wrote 1002 at "now": the newest online row is seconds old.
    expect(staleness).toBeLessThan(60);
    expect(metrics).toMatch(/capstan_feature_view_freshness_sla_breached\{project="drivers",feature_view="driver_hourly"\} 0/);
  });
});
