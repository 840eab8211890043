import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../adapters/sql/test-support/test-databases.js';
import { allMigrations } from '../../../app/migrations.js';
import type { SqlDatabase } from '../../../ports/sql.js';
import type { TrackingTables } from '../tables.js';
import { runLookupWithDatasetMetrics } from './dataset-metrics.js';

describe.each(TEST_DIALECTS)('runs with per-dataset metrics on %s', (dialect) => {
  let t: TestDatabase<TrackingTables>;
  beforeAll(async () => {
    t = await createTestDatabase<TrackingTables>(dialect);
    await migrateToLatest(t.database, allMigrations());
    const db = t.database.db;
    const { experiment_id: experimentId } = await db
      .insertInto('experiments')
      .values({ name: 'e', artifact_location: 'x', lifecycle_stage: 'active', creation_time: 1, last_update_time: 1 })
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('runs')
      .values({ run_uuid: 'r1', experiment_id: Number(experimentId), name: 'r', user_id: 'u', status: 'FINISHED', start_time: 1, end_time: 2, deleted_time: null, lifecycle_stage: 'active', artifact_uri: 'a' })
      .execute();
    const metric = (value: number, step: number, digest: string) => ({
      run_uuid: 'r1', key: 'auc', value, is_nan: 0, timestamp: 10 + step, step, model_id: '', dataset_name: digest ? 'holdout' : '', dataset_digest: digest,
    });
    await db.insertInto('metrics').values([metric(0.91, 1, 'd1'), metric(0.93, 2, 'd1'), metric(0.88, 1, 'd2'), metric(0.5, 3, '')]).execute();
    await db.insertInto('latest_metrics').values({ run_uuid: 'r1', key: 'auc', value: 0.5, is_nan: 0, timestamp: 13, step: 3 }).execute();
  });
  afterAll(async () => t.cleanup());

  it('adds the latest value per dataset digest next to the run latest metrics', async () => {
    const [run] = await runLookupWithDatasetMetrics(t.database as SqlDatabase<unknown>)(['r1']);
    const metrics = run!.data.metrics!.map((m) => ({ value: m.value, digest: m.dataset_digest ?? '' })).sort((a, b) => a.digest.localeCompare(b.digest));
    expect(metrics).toEqual([
      { value: 0.5, digest: '' },
      { value: 0.93, digest: 'd1' },
      { value: 0.88, digest: 'd2' },
    ]);
    expect(await runLookupWithDatasetMetrics(t.database as SqlDatabase<unknown>)(['missing'])).toEqual([]);
  });
});
