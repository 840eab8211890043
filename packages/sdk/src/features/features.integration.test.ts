import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startEphemeralServer, type EphemeralServer } from '@capstan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanClient } from '../client.js';
import { isApiError } from '../errors.js';
import { Float32, Float64, Int64 } from './dtypes.js';
import { entity } from './entity.js';
import { featureRepo } from './feature-repo.js';
import { featureService } from './feature-service.js';
import { featureView } from './feature-view.js';
import { onDemandFeatureView } from './on-demand-feature-view.js';
import { fileSource, pushSource, requestSource } from './sources.js';
import { toDefinition } from './to-definition.js';

const HOUR = 3_600_000;
const PROJECT = 'sdk_drivers';

/** The docs' driver repository over a CSV file under the server's offline store root. */
const driver = entity({ name: 'driver', joinKeys: { driver_id: Int64 } });
const stats = fileSource({ name: 'driver_stats', path: 'driver_stats.csv', format: 'csv', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
const driverPush = pushSource({ name: 'driver_push', batchSource: stats });
const driverHourly = featureView({ name: 'driver_hourly_stats', entities: [driver], source: driverPush, schema: { conv_rate: Float32, acc_rate: Float32, avg_daily_trips: Int64 }, ttl: '1d' });
const vals = requestSource({ name: 'vals_to_add', schema: { val_to_add: Int64 } });
const transformed = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [driverHourly, vals],
  schema: { conv_rate_plus_val: Float64 },
  // A driver without stats has no conversion rate: null in, null out.
  transform: (row) => ({ conv_rate_plus_val: row.conv_rate === null ? null : row.conv_rate + row.val_to_add }),
});
const activity = featureService({ name: 'driver_activity', features: [driverHourly.select('conv_rate', 'acc_rate'), transformed] });
const repo = featureRepo({ project: PROJECT, objects: [driver, driverHourly, transformed, activity] });

let server: EphemeralServer;
let root: string;
// Whole hours, so the CSV's times and the expectations are easy to read.
const base = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
// As the server prints times: RFC 3339 without a fraction for whole seconds.
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-sdk-features-'));
  const rows = [
    'driver_id,event_timestamp,created,conv_rate,acc_rate,avg_daily_trips',
    `1001,${iso(base)},${iso(base)},0.25,0.5,10`,
    `1001,${iso(base + 2 * HOUR)},${iso(base + 2 * HOUR)},0.75,0.875,20`,
    `1002,${iso(base + HOUR)},${iso(base + HOUR)},0.5,0.25,30`,
  ];
  await writeFile(join(root, 'driver_stats.csv'), `${rows.join('\n')}\n`);
  // No scheduler: the only materializations are the ones the tests ask for.
  server = await startEphemeralServer({ features: { ...loadConfig({ env: {} }).features, offlineStoreUri: root, schedulerEnabled: false } });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const client = () => new CapstanClient({ url: server.url, env: {} });

/** The SDK's whole loop against a real server: plan, apply, materialize, look up online and back in time. */
describe('the feature store through the SDK', () => {
  it('plans and applies the repository, refusing a stale revision', async () => {
    const { features } = client();
    const plan = await features.plan(repo);
    expect(plan).toMatchObject({ project: PROJECT, base_revision: 0, deletions: 0 });
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
    expect(await features.apply(repo, { baseRevision: plan.base_revision })).toMatchObject({ project: PROJECT, revision: 1 });
    expect((await features.plan(repo)).changes.every((c) => c.action === 'unchanged')).toBe(true);

    const stale = await features.apply(repo, { baseRevision: 0 }).catch((err: unknown) => err);
    expect(isApiError(stale, 'RESOURCE_CONFLICT')).toBe(true);
    expect((await features.listProjects()).map((p) => [p.project, p.revision])).toEqual([[PROJECT, 1]]);
    expect((await features.getProject(PROJECT)).definition).toEqual(toDefinition(repo));
  });

  it('materializes and serves the service online, typed, with the transformation run on the server', async () => {
    const { features } = client();
    const { views } = await features.materialize(PROJECT, new Date(base - HOUR), new Date(base + 3 * HOUR).toISOString());
    expect(views).toEqual([{ view: 'driver_hourly_stats', start: iso(base - HOUR), end: iso(base + 3 * HOUR), rows: 2 }]);
    expect(await features.viewStatus(PROJECT, 'driver_hourly_stats')).toMatchObject({ view: 'driver_hourly_stats', online: true, newest_event_time: iso(base + 2 * HOUR) });

    const result = await features.getOnlineFeatures(activity, { driver_id: [1001, 9999], val_to_add: [1, 2] });
    expect(result.values).toEqual({ driver_id: [1001, 9999], conv_rate: [0.75, null], acc_rate: [0.875, null], conv_rate_plus_val: [1.75, null] });
    expect(result.statuses.conv_rate).toEqual(['PRESENT', 'NOT_FOUND']);
    expect(result.eventTimestamps.conv_rate[0]).toEqual(new Date(base + 2 * HOUR));

    const full = await features.getOnlineFeatures(PROJECT, ['driver_hourly_stats:avg_daily_trips'], { driver_id: [1002] }, { fullFeatureNames: true });
    expect(full.values).toEqual({ driver_id: [1002], driver_hourly_stats__avg_daily_trips: [30] });
  });

  it('pushes rows and writes them straight to the online store', async () => {
    const { features } = client();
    const row = (id: number, rate: number) => ({ driver_id: [id], event_timestamp: [new Date()], created: [new Date()], conv_rate: [rate], acc_rate: [1], avg_daily_trips: [3] });
    await features.push(PROJECT, { push_source_name: 'driver_push', df: row(1003, 0.125), to: 'online' });
    await features.writeToOnlineStore(PROJECT, { feature_view_name: 'driver_hourly_stats', df: row(1004, 0.375) });
    const { values } = await features.getOnlineFeatures(activity, { driver_id: [1003, 1004], val_to_add: [0, 0] });
    expect(values.conv_rate).toEqual([0.125, 0.375]);
  });

  it('retrieves point-in-time correct features and saves them as a training dataset', async () => {
    const { features } = client();
    const result = await features.getHistoricalFeatures(activity, {
      entity_rows: { driver_id: [1001, 1001, 1002], event_timestamp: [new Date(base + HOUR), new Date(base + 3 * HOUR), new Date(base)], val_to_add: [1, 1, 1] },
      save_as: { name: 'driver_training' },
    });
    expect(result.row_count).toBe(3);
    expect(result.values?.conv_rate).toEqual([0.25, 0.75, null]);
    expect(result.values?.conv_rate_plus_val).toEqual([1.25, 1.75, null]);
    expect(result.dataset).toMatchObject({ name: 'driver_training', version: 1, row_count: 3 });
    expect((await features.listDatasets(PROJECT)).map((d) => [d.name, d.version])).toEqual([['driver_training', 1]]);
  });

  it('deletes the project', async () => {
    const { features } = client();
    await features.deleteProject(PROJECT);
    expect(isApiError(await features.getProject(PROJECT).catch((err: unknown) => err), 'RESOURCE_DOES_NOT_EXIST')).toBe(true);
  });
});
