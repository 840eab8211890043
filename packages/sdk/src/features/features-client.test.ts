import { CAPSTAN_API_PREFIX, type GetOnlineFeaturesResponse } from '@capstan/contracts';
import { describe, expect, it } from 'vitest';
import { CapstanClient } from '../client.js';
import { isApiError } from '../errors.js';
import type { FetchFn } from '../http/transport.js';
import { Bytes, Float64, UnixTimestamp } from './dtypes.js';
import { featureRepo } from './feature-repo.js';
import { featureService } from './feature-service.js';
import { featureView } from './feature-view.js';
import { activity, driver, repo, stats } from './test-support/driver-repo.js';
import { toDefinition } from './to-definition.js';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function scripted(...steps: Response[]) {
  const calls: Call[] = [];
  const fetch: FetchFn = async (input, init) => {
    calls.push({ method: init?.method ?? 'GET', url: String(input).replace('http://server', ''), body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    return step;
  };
  return { calls, features: new CapstanClient({ url: 'http://server', fetch, env: {}, retries: 0 }).features };
}

const EPOCH = '1970-01-01T00:00:00Z';
const online = (names: string[], values: unknown[][]): GetOnlineFeaturesResponse => ({
  metadata: { feature_names: names },
  results: values.map((v) => ({ values: v as never, statuses: v.map((x) => (x === null ? 'NOT_FOUND' : 'PRESENT')), event_timestamps: v.map(() => EPOCH) })),
});

describe('client.features', () => {
  it('plans and applies a repository as its wire definition, with the plan\'s revision', async () => {
    const plan = { project: 'driver_ranking', base_revision: 3, changes: [], has_breaking_changes: false, deletions: 0 };
    const { calls, features } = scripted(json(plan), json({ project: 'driver_ranking', revision: 4, changes: [] }));
    expect(await features.plan(repo)).toEqual(plan);
    await features.apply(repo, { baseRevision: plan.base_revision, allowDeletes: true });
    expect(calls).toEqual([
      { method: 'POST', url: `${CAPSTAN_API_PREFIX}/features/plan`, body: { definition: toDefinition(repo) } },
      { method: 'POST', url: `${CAPSTAN_API_PREFIX}/features/apply`, body: { definition: toDefinition(repo), base_revision: 3, allow_deletes: true } },
    ]);
  });

  it('reads projects, view status and datasets, escaping names in paths', async () => {
    const { calls, features } = scripted(json({ projects: [{ project: 'p' }] }), json({ project: 'p/q' }), json({ view: 'v' }), json({ datasets: [] }), json({}));
    expect(await features.listProjects()).toEqual([{ project: 'p' }]);
    expect(await features.getProject('p/q')).toEqual({ project: 'p/q' });
    expect(await features.viewStatus('p', 'v 1')).toEqual({ view: 'v' });
    expect(await features.listDatasets('p')).toEqual([]);
    await features.deleteProject('p');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `GET ${CAPSTAN_API_PREFIX}/features/projects`,
      `GET ${CAPSTAN_API_PREFIX}/features/projects/p%2Fq`,
      `GET ${CAPSTAN_API_PREFIX}/features/projects/p/feature-views/v%201/status`,
      `GET ${CAPSTAN_API_PREFIX}/features/projects/p/datasets`,
      `DELETE ${CAPSTAN_API_PREFIX}/features/projects/p`,
    ]);
  });

  it('looks up a service of a repository by its object, in its project, and names the columns', async () => {
    const response = online(['driver_id', 'conv_rate', 'acc_rate', 'conv_rate_plus_val'], [[1001, 1002], [0.5, null], [0.9, null], [1.5, 'NaN']]);
    const { calls, features } = scripted(json(response));
    const result = await features.getOnlineFeatures(activity, { driver_id: [1001, 1002], val_to_add: [1, 2] });
    expect(calls[0]).toEqual({
      method: 'POST',
      url: '/feature-server/driver_ranking/get-online-features',
      body: { entities: { driver_id: [1001, 1002], val_to_add: [1, 2] }, feature_service: 'driver_activity' },
    });
    expect(result.values).toEqual({ driver_id: [1001, 1002], conv_rate: [0.5, null], acc_rate: [0.9, null], conv_rate_plus_val: [1.5, Number.NaN] });
    expect(result.statuses.conv_rate).toEqual(['PRESENT', 'NOT_FOUND']);
    expect(result.eventTimestamps.conv_rate).toEqual([new Date(0), new Date(0)]);
    expect(result.response).toEqual(response);
  });

  it('decodes timestamps and bytes by the service\'s dtypes, with full feature names', async () => {
    const view = featureView({ name: 'docs', entities: [driver], source: stats, schema: { seen: UnixTimestamp, blob: Bytes, score: Float64 } });
    const service = featureService({ name: 'docs_service', features: [view.withAlias('d')] });
    const response = online(['driver_id', 'd__seen', 'd__blob', 'd__score'], [[1], ['2024-05-01T12:00:00Z'], ['AQID'], [1]]);
    const { calls, features } = scripted(json(response));
    const { values } = await features.getOnlineFeatures('elsewhere', service, { driver_id: [1] }, { fullFeatureNames: true });
    expect(calls[0]!.url).toBe('/feature-server/elsewhere/get-online-features');
    expect(calls[0]!.body).toMatchObject({ feature_service: 'docs_service', full_feature_names: true });
    expect(values).toEqual({ driver_id: [1], d__seen: [new Date('2024-05-01T12:00:00Z')], d__blob: [new Uint8Array([1, 2, 3])], d__score: [1] });
  });

  it('looks up references or a service name untyped, leaving values as sent', async () => {
    const { calls, features } = scripted(json(online(['driver_id', 'conv_rate'], [[1], ['AQID']])), json(online([], [])));
    expect((await features.getOnlineFeatures('p', ['driver_hourly_stats:conv_rate'], { driver_id: [1] })).values).toEqual({ driver_id: [1], conv_rate: ['AQID'] });
    await features.getOnlineFeatures('p', 'driver_activity', { driver_id: [1] });
    expect(calls.map((c) => c.body)).toEqual([
      { entities: { driver_id: [1] }, features: ['driver_hourly_stats:conv_rate'] },
      { entities: { driver_id: [1] }, feature_service: 'driver_activity' },
    ]);
  });

  it('needs the project of a service that is in no repository, or in several', async () => {
    const { features } = scripted();
    const loose = featureService({ name: 'loose', features: [activity.features[0]!] });
    await expect(features.getOnlineFeatures(loose, { driver_id: [1] })).rejects.toThrow(/feature service loose is in no featureRepo\(\): pass the project explicitly/);
    featureRepo({ project: 'a', objects: [loose] });
    featureRepo({ project: 'b', objects: [loose] });
    await expect(features.getOnlineFeatures(loose, { driver_id: [1] })).rejects.toThrow(/in several projects \(a, b\)/);
  });

  it('retrieves historical features by service, decoding its columns and keeping the others', async () => {
    const { calls, features } = scripted(json({ columns: ['driver_id', 'event_timestamp', 'label', 'conv_rate'], row_count: 1, values: { driver_id: [1], event_timestamp: ['2024-05-01T00:00:00Z'], label: [1], conv_rate: ['Infinity'] } }));
    const result = await features.getHistoricalFeatures(activity, {
      entity_rows: { driver_id: [1], val_to_add: [2], event_timestamp: [new Date('2024-05-01T00:00:00Z')], label: [1] },
      save_as: { name: 'train' },
    });
    expect(calls[0]).toEqual({
      method: 'POST',
      url: `${CAPSTAN_API_PREFIX}/features/projects/driver_ranking/historical-features`,
      body: { entity_rows: { driver_id: [1], val_to_add: [2], event_timestamp: ['2024-05-01T00:00:00.000Z'], label: [1] }, save_as: { name: 'train' }, feature_service: 'driver_activity' },
    });
    expect(result.values).toEqual({ driver_id: [1], event_timestamp: ['2024-05-01T00:00:00Z'], label: [1], conv_rate: [Number.POSITIVE_INFINITY] });
  });

  it('pushes rows with dates and bytes in their wire forms, and materializes ranges', async () => {
    const { calls, features } = scripted(new Response('null'), new Response('null'), json({ views: [] }), json({ views: [] }));
    await features.push('p', { push_source_name: 'src', df: { driver_id: [1], ts: [new Date(0)], blob: [Buffer.from([1, 2, 3])] }, to: 'online' });
    await features.writeToOnlineStore('p', { feature_view_name: 'v', df: { blob: [new Uint8Array([255])] } });
    await features.materialize('p', new Date(0), '2024-05-01T00:00:00Z', ['v']);
    await features.materializeIncremental('p', '2024-05-02');
    expect(calls.map((c) => [c.url, c.body])).toEqual([
      ['/feature-server/p/push', { push_source_name: 'src', df: { driver_id: [1], ts: ['1970-01-01T00:00:00.000Z'], blob: ['AQID'] }, to: 'online' }],
      ['/feature-server/p/write-to-online-store', { feature_view_name: 'v', df: { blob: ['/w=='] } }],
      ['/feature-server/p/materialize', { start_ts: '1970-01-01T00:00:00.000Z', end_ts: '2024-05-01T00:00:00.000Z', feature_views: ['v'] }],
      ['/feature-server/p/materialize-incremental', { end_ts: '2024-05-02T00:00:00.000Z' }],
    ]);
    expect(() => features.materialize('p', 'yesterday', new Date())).toThrow(/start: not a date: "yesterday"/);
  });

  it('reports a Feast-shaped error with its message', async () => {
    const { features } = scripted(json({ module: 'feast.errors', class: 'FeatureViewNotFoundException', message: "Feature view 'x' not found" }, 404));
    const err = await features.getOnlineFeatures('p', ['x:y'], { driver_id: [1] }).catch((e: unknown) => e);
    expect(isApiError(err)).toBe(true);
    expect((err as Error).message).toBe("Feature view 'x' not found");
  });
});
