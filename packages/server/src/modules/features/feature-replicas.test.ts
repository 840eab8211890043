import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRepoDefinition } from '@capstan/contracts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../adapters/sql/test-support/test-databases.js';
import { REDIS_TEST_URL } from '../../adapters/test-support/redis-test-server.js';
import { createApp, type CapstanApp } from '../../app/create-app.js';
import { FEATURES_DEFAULTS, loadConfig } from '../../core/config.js';
import { driverRepo, HOUR, writeDriverData } from './test-support/driver-repo.js';

const API = '/api/capstan/v1/features';
const REDIS_URL = REDIS_TEST_URL;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** Needs both real servers; it runs unless a developer opted out of either (CI never does; see test-databases.ts). */
const REAL_SERVERS = TEST_DIALECTS.includes('postgres') && REDIS_URL !== 'off';

/**
 * Two replicas of the server on one PostgreSQL database and one Redis online store, as in
 * scale-out: registry changes reach the other replica within a second, concurrent applies on one
 * base revision land once, and a scheduled materialization runs on one replica only.
 */
describe.runIf(REAL_SERVERS)('feature store replicas on postgres and on redis', () => {
  let database: TestDatabase<unknown>;
  let root: string;
  let a: CapstanApp;
  let b: CapstanApp;
  const project = `replicas_${randomBytes(4).toString('hex')}`;
  const base = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;

  const start = () =>
    createApp(
      loadConfig({
        env: {},
        overrides: {
          port: 0,
          logLevel: 'silent',
          backendStoreUri: database.uri,
          artifactsDestination: join(root, 'artifacts'),
          features: { ...FEATURES_DEFAULTS, offlineStoreUri: root, onlineStoreUri: REDIS_URL, registryRefreshMs: 200, schedulerEnabled: false },
        },
      }),
    );
  const post = (app: CapstanApp, url: string, payload: object) => app.app.inject({ method: 'POST', url, payload });
  const withInterval = (): FeatureRepoDefinition => {
    const repo = driverRepo(project);
    repo.feature_views[1]!.materialization_interval_seconds = 3600;
    return repo;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await database.database.close();
    root = await mkdtemp(join(tmpdir(), 'capstan-replicas-'));
    await writeDriverData(root, base);
    a = await start();
    b = await start();
    expect((await post(a, `${API}/apply`, { definition: driverRepo(project), base_revision: 0 })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await a?.app.inject({ method: 'DELETE', url: `${API}/projects/${project}` });
    await Promise.all([a?.close(), b?.close()]);
    await database?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('shows an apply on one replica to the other within a second', async () => {
    const read = () => post(b, `/feature-server/${project}/get-online-features`, { features: ['driver_daily:rating'], entities: { driver_id: [1001] } });
    expect((await read()).statusCode).toBe(200);
    const renamed = driverRepo(project);
    renamed.feature_views[1]!.schema = [{ name: 'stars', dtype: 'float64' }];
    renamed.data_sources[1] = { name: 'driver_ratings', kind: 'file', path: 'ratings.csv', format: 'csv', timestamp_field: 'ts' };
    renamed.feature_services = [];
    const applied = await post(a, `${API}/apply`, { definition: renamed, base_revision: 1, allow_deletes: true });
    expect(applied.statusCode, applied.body).toBe(200);
    const appliedAt = Date.now();
    // B still has revision 1 cached: it knows 'rating' until its refresh sees revision 2.
    let seenAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - appliedAt < 2000) {
      if ((await read()).statusCode === 404) {
        seenAfter = Date.now() - appliedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seenAfter).toBeLessThan(1000);
  });

  it('lands one of two concurrent applies on the same revision and refuses the other', async () => {
    const results = await Promise.all([
      post(a, `${API}/apply`, { definition: driverRepo(project), base_revision: 2, allow_deletes: true }),
      post(b, `${API}/apply`, { definition: withInterval(), base_revision: 2, allow_deletes: true }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    expect(loser.json().message).toContain('is at revision 3, not 2');
  });

  it('materializes on one replica and serves the values from the other', async () => {
    const current = (await a.app.inject({ method: 'GET', url: `${API}/projects/${project}` })).json();
    await post(a, `${API}/apply`, { definition: withInterval(), base_revision: current.revision, allow_deletes: true });
    // Both replicas tick at once: the database lease gives the due view to one of them.
    await Promise.all([a.features.tick(), b.features.tick()]);
    const status = (await b.app.inject({ method: 'GET', url: `${API}/projects/${project}/feature-views/driver_daily/status` })).json();
    expect(status.materializations).toHaveLength(1);
    expect(status.materializations[0]).toMatchObject({ start: iso(0), rows: 2 });
    await new Promise((r) => setTimeout(r, 300));
    const res = await post(b, `/feature-server/${project}/get-online-features`, { features: ['driver_daily:rating'], entities: { driver_id: [1001, 1002] } });
    expect(res.json().results[1].values).toEqual([4.7, 3.9]);
    // Not due again until its interval has passed.
    await Promise.all([a.features.tick(), b.features.tick()]);
    expect((await b.app.inject({ method: 'GET', url: `${API}/projects/${project}/feature-views/driver_daily/status` })).json().materializations).toHaveLength(1);
  });
});
