import type { DeploymentTraffic } from '@capstan/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../adapters/sql/test-support/test-databases.js';
import { deploymentsSchema } from '../migrations/0009-deployments.js';
import { DeploymentStore } from './deployment-store.js';
import type { ServingTables } from './tables.js';

const traffic = (version: string): DeploymentTraffic => ({ versions: [{ version, model_name: 'fraud', weight: 100, uri: `models:/fraud/${version}` }] });
const manifest = (name: string, workspace = 'default') => ({ name, workspace, spec: { models: [{ uri: 'models:/fraud/1' }] } });

describe.each(TEST_DIALECTS)('deployment store on %s', (dialect) => {
  let t: TestDatabase<ServingTables>;
  let store: DeploymentStore;
  let clock = 1_000;

  beforeAll(async () => {
    t = await createTestDatabase<ServingTables>(dialect);
    await migrateToLatest(t.database, [deploymentsSchema]);
    store = new DeploymentStore(t.database.db, () => clock++);
  });
  afterAll(async () => t.cleanup());
  beforeEach(async () => {
    await sql`delete from deployments`.execute(t.database.db);
  });

  it('stores, lists, changes and deletes deployments, moving one global revision on every write', async () => {
    const start = await store.latestRevision();
    const fraud = await store.create(manifest('fraud'), traffic('1'), 'alice');
    const churn = await store.create(manifest('churn', 'team-b'), traffic('1'), 'bob');
    expect([fraud.revision, churn.revision]).toEqual([start + 1, start + 2]);
    expect(fraud).toMatchObject({ name: 'fraud', workspace: 'default', traffic: traffic('1'), created_by: 'alice', canary: null, description: null });
    expect((await store.list()).map((d) => d.name)).toEqual(['churn', 'fraud']);
    expect(await store.workspaceOf('churn')).toBe('team-b');
    expect(await store.workspaceOf('ghost')).toBeUndefined();

    const moved = await store.update('fraud', { traffic: traffic('2'), previousTraffic: traffic('1'), canary: { phase: 'running' } }, 'carol', fraud.revision);
    expect(moved).toMatchObject({ revision: start + 3, traffic: traffic('2'), canary: { phase: 'running' }, updated_by: 'carol', created_by: 'alice' });
    expect(await store.previousTraffic('fraud')).toEqual(traffic('1'));
    expect(await store.latestRevision()).toBe(start + 3);

    await store.delete('churn');
    expect(await store.latestRevision()).toBe(start + 4);
    expect(await store.find('churn')).toBeUndefined();
    await expect(store.require('churn')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('refuses a second deployment of the same name and an update from a stale revision, keeping what is stored', async () => {
    const fraud = await store.create(manifest('fraud'), traffic('1'), null);
    await expect(store.create(manifest('fraud'), traffic('9'), null)).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' });
    await store.update('fraud', { traffic: traffic('2') }, null, fraud.revision);
    await expect(store.update('fraud', { traffic: traffic('3') }, null, fraud.revision)).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT' });
    expect((await store.require('fraud')).traffic).toEqual(traffic('2'));
    await expect(store.update('ghost', { traffic: traffic('2') }, null)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('lets exactly one of two concurrent updates from the same revision win', async () => {
    const fraud = await store.create(manifest('fraud'), traffic('1'), null);
    const results = await Promise.allSettled([
      store.update('fraud', { traffic: traffic('2') }, 'a', fraud.revision),
      store.update('fraud', { traffic: traffic('3') }, 'b', fraud.revision),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['RESOURCE_CONFLICT']);
    const stored = await store.require('fraud');
    expect(stored.traffic).toEqual((won[0] as PromiseFulfilledResult<{ traffic: DeploymentTraffic }>).value.traffic);
  });
});
