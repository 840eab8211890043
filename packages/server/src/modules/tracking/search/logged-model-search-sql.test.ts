import type { Insertable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import type { LoggedModelsTable } from '../tables.js';
import { searchLoggedModelIds, type LoggedModelSearchQuery } from './logged-model-search-sql.js';
import { insertExperiment, type Db, useSeededTrackingDb } from './test-support/seed.js';

function model(id: string, experimentId: number, created: number, extra: Partial<Insertable<LoggedModelsTable>> = {}): Insertable<LoggedModelsTable> {
  return {
    model_id: id,
    experiment_id: experimentId,
    name: id,
    artifact_location: `/m/${id}`,
    creation_timestamp_ms: created,
    last_updated_timestamp_ms: created + 1,
    status: 'LOGGED_MODEL_READY',
    status_message: null,
    lifecycle_stage: 'active',
    model_type: null,
    source_run_id: null,
    ...extra,
  };
}

function point(modelId: string, key: string, value: number, timestamp: number, dataset = ['', '']) {
  const nan = Number.isNaN(value);
  return { model_id: modelId, key, value: nan ? 0 : value, is_nan: nan ? 1 : 0, timestamp, step: 0, run_id: 'r', dataset_name: dataset[0]!, dataset_digest: dataset[1]! };
}

/** m1..m3 are active in experiment 1 (created 100, 200, 300); m4 is deleted; m5 is in experiment 2. */
async function seed(db: Db): Promise<void> {
  await insertExperiment(db, 1, 'one');
  await insertExperiment(db, 2, 'two');
  await db
    .insertInto('logged_models')
    .values([
      model('m1', 1, 100, { name: 'clf', model_type: 'Classifier', source_run_id: 'r1' }),
      model('m2', 1, 200, { name: 'reg', status: 'LOGGED_MODEL_PENDING' }),
      model('m3', 1, 300, { name: 'Clf2', model_type: 'Classifier' }),
      model('m4', 1, 400, { lifecycle_stage: 'deleted' }),
      model('m5', 2, 50),
    ])
    .execute();
  await db.insertInto('logged_model_params').values([{ model_id: 'm1', key: 'lr', value: '0.1' }, { model_id: 'm3', key: 'lr', value: '0.01' }]).execute();
  await db.insertInto('logged_model_tags').values([{ model_id: 'm1', key: 'stage', value: 'prod' }]).execute();
  await db
    .insertInto('logged_model_metrics')
    .values([
      point('m1', 'acc', 0.8, 1, ['train', 'd1']),
      point('m1', 'acc', 0.9, 2, ['eval', 'd2']),
      point('m2', 'acc', 0.85, 5, ['eval', 'd2']),
      point('m2', 'loss', Number.NaN, 1),
      point('m5', 'acc', 0.99, 1),
    ])
    .execute();
}

describe.each(TEST_DIALECTS)('searchLoggedModelIds on %s', (dialect) => {
  const fixture = useSeededTrackingDb(dialect, seed);
  const search = async (q: Partial<LoggedModelSearchQuery>) => searchLoggedModelIds(fixture.db, { experimentIds: [1], ...q });
  const ids = async (q: Partial<LoggedModelSearchQuery>) => (await search(q)).modelIds;

  it('orders by creation_timestamp DESC, skipping deleted models unless asked', async () => {
    expect(await ids({})).toEqual(['m3', 'm2', 'm1']);
    expect(await ids({ viewType: 'ALL' })).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(await ids({ experimentIds: [1, 2] })).toEqual(['m3', 'm2', 'm1', 'm5']);
    expect(await ids({ experimentIds: [] })).toEqual([]);
  });

  it.each([
    ["name LIKE 'clf%'", ['m1']],
    ["name ILIKE 'clf%'", ['m3', 'm1']],
    ["model_type = 'Classifier'", ['m3', 'm1']],
    ["model_type != 'Classifier'", []],
    ["status IN ('LOGGED_MODEL_PENDING')", ['m2']],
    ["attributes.model_id NOT IN ('m2')", ['m3', 'm1']],
    ["source_run_id = 'r1'", ['m1']],
    ['creation_time > 150', ['m3', 'm2']],
    ['last_updated_timestamp <= 201', ['m2', 'm1']],
    ["params.lr = '0.1'", ['m1']],
    ["tags.stage = 'prod'", ['m1']],
    ['metrics.acc > 0.85', ['m1']],
    ['metrics.acc >= 0.8', ['m2', 'm1']],
    ['metrics.loss < 1', []],
  ])('filter %s', async (filter, expected) => {
    expect(await ids({ filter })).toEqual(expected);
  });

  it('restricts metric filters to the given datasets', async () => {
    expect(await ids({ filter: 'metrics.acc > 0.85', datasets: [{ dataset_name: 'train' }] })).toEqual([]);
    expect(await ids({ filter: 'metrics.acc >= 0.8', datasets: [{ dataset_name: 'eval' }] })).toEqual(['m2', 'm1']);
    expect(await ids({ filter: 'metrics.acc > 0', datasets: [{ dataset_name: 'eval', dataset_digest: 'zzz' }] })).toEqual([]);
    expect(await ids({ datasets: [{ dataset_name: 'train' }] })).toEqual(['m1']);
    expect(await ids({ datasets: [{ dataset_name: 'train' }, { dataset_name: 'eval', dataset_digest: 'd2' }] })).toEqual(['m2', 'm1']);
  });

  it.each([
    [[{ field_name: 'metrics.acc', ascending: false }], ['m1', 'm2', 'm3']],
    [[{ field_name: 'metrics.acc' }], ['m2', 'm1', 'm3']],
    [[{ field_name: 'metrics.acc', ascending: true, dataset_name: 'train' }], ['m1', 'm3', 'm2']],
    [[{ field_name: 'metrics.loss' }], ['m2', 'm3', 'm1']],
    [[{ field_name: 'name' }], ['m3', 'm1', 'm2']],
    [[{ field_name: 'model_type', ascending: false }], ['m3', 'm1', 'm2']],
    [[{ field_name: 'model_type' }], ['m3', 'm1', 'm2']],
    [[{ field_name: 'creation_time' }], ['m1', 'm2', 'm3']],
  ])('order_by %j', async (orderBy, expected) => {
    expect(await ids({ orderBy })).toEqual(expected);
  });

  it('pages with tokens bound to their query', async () => {
    const first = await search({ maxResults: 2, filter: "name != 'x'" });
    expect(first.modelIds).toEqual(['m3', 'm2']);
    const second = await search({ maxResults: 2, filter: "name != 'x'", pageToken: first.nextPageToken });
    expect(second).toEqual({ modelIds: ['m1'] });
    await expect(search({ maxResults: 2, pageToken: first.nextPageToken })).rejects.toThrow('Invalid page token');
  });

  it('rejects bad datasets and order_by entries', async () => {
    await expect(search({ datasets: [{ dataset_name: '' }] })).rejects.toThrow('`dataset_name` in the `datasets` clause must be specified.');
    await expect(search({ orderBy: [{ field_name: 'params.lr' }] })).rejects.toThrow('only `metrics.<name>` is allowed');
    await expect(search({ filter: "datasets.name = 'x'" })).rejects.toThrow("Invalid entity type 'datasets'");
  });
});
