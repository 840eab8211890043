import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggedModel } from '@capstan/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { createExperiment, createModel, createRun, expectError, ok } from './test-support/logged-model-helpers.js';

interface SearchAnswer {
  models?: LoggedModel[];
  next_page_token?: string;
}

describe.each(TEST_DIALECTS)('MLflow search_logged_models on %s', (dialect) => {
  let t: TestApp;
  let exp: string;
  let other: string;
  /** Model ids by name. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect);
    exp = await createExperiment(t, 'search-models');
    other = await createExperiment(t, 'search-models-other');
    const runId = await createRun(t, exp);
    const specs = [
      { name: 'alpha', model_type: 'Classifier', params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'team', value: 'risk' }] },
      { name: 'beta', params: [{ key: 'lr', value: '0.01' }], tags: [{ key: 'team', value: 'ops' }] },
      { name: 'gamma' },
      { name: 'doomed' },
    ];
    for (const spec of specs) {
      ids[spec.name] = (await createModel(t, { experiment_id: exp, source_run_id: runId, ...spec })).info.model_id;
      // Distinct creation times, so the default order (newest first) is fixed.
      await sleep(3);
    }
    ids.elsewhere = (await createModel(t, { experiment_id: other, name: 'elsewhere' })).info.model_id;
    await ok(t.mlflow('PATCH', `/logged-models/${ids.alpha}`, { status: 'LOGGED_MODEL_READY' }));
    await ok(t.mlflow('DELETE', `/logged-models/${ids.doomed}`));
    const metric = (model: string, value: number, dataset: string, timestamp: number) => ({
      key: 'accuracy',
      value,
      timestamp,
      step: 0,
      model_id: ids[model],
      dataset_name: dataset,
      dataset_digest: `${dataset}-digest`,
    });
    await ok(
      t.mlflow('POST', '/runs/log-batch', {
        run_id: runId,
        metrics: [metric('alpha', 0.9, 'eval', 10), metric('beta', 0.8, 'eval', 10), metric('beta', 0.95, 'train', 20), metric('doomed', 0.99, 'eval', 10)],
      }),
    );
  });
  afterAll(async () => t.cleanup());

  async function search(body: Record<string, unknown>): Promise<SearchAnswer> {
    return (await ok(t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], ...body }))) as SearchAnswer;
  }

  async function names(body: Record<string, unknown>): Promise<string[]> {
    return ((await search(body)).models ?? []).map((m) => m.info.name);
  }

  it('returns live models of the given experiments, newest first, with their tags, params and metrics', async () => {
    const answer = await search({});
    expect(answer.models?.map((m) => m.info.name)).toEqual(['gamma', 'beta', 'alpha']);
    expect(answer.next_page_token).toBeUndefined();
    const beta = answer.models?.find((m) => m.info.name === 'beta');
    expect(beta?.info.tags).toEqual([{ key: 'team', value: 'ops' }]);
    expect(beta?.data?.params).toEqual([{ key: 'lr', value: '0.01' }]);
    expect(beta?.data?.metrics?.map((m) => [m.value, m.dataset_name])).toEqual([
      [0.8, 'eval'],
      [0.95, 'train'],
    ]);
    expect(await names({ experiment_ids: [exp, other] })).toEqual(['elsewhere', 'gamma', 'beta', 'alpha']);
    expect(await names({ experiment_ids: [other] })).toEqual(['elsewhere']);
    expect(await search({ experiment_ids: [] })).toEqual({});
  });

  it('filters on metrics, narrowed to datasets when asked', async () => {
    expect(await names({ filter: 'metrics.accuracy > 0.85' })).toEqual(['beta', 'alpha']);
    expect(await names({ filter: 'metrics.accuracy > 0.85', datasets: [{ dataset_name: 'eval' }] })).toEqual(['alpha']);
    expect(await names({ filter: 'metrics.accuracy > 0.85', datasets: [{ dataset_name: 'train', dataset_digest: 'train-digest' }] })).toEqual(['beta']);
    expect(await names({ filter: 'metrics.accuracy > 0.85', datasets: [{ dataset_name: 'train', dataset_digest: 'other' }] })).toEqual([]);
    // Datasets alone keep the models with any metric on them.
    expect(await names({ datasets: [{ dataset_name: 'train' }] })).toEqual(['beta']);
  });

  it('filters on params, tags and attributes', async () => {
    expect(await names({ filter: "params.lr = '0.1'" })).toEqual(['alpha']);
    expect(await names({ filter: "tags.team = 'ops'" })).toEqual(['beta']);
    expect(await names({ filter: "tags.team != 'ops'" })).toEqual(['alpha']);
    expect(await names({ filter: "name LIKE '%a'" })).toEqual(['gamma', 'beta', 'alpha']);
    expect(await names({ filter: "attributes.model_type = 'Classifier'" })).toEqual(['alpha']);
    expect(await names({ filter: "status = 'LOGGED_MODEL_PENDING' AND name != 'gamma'" })).toEqual(['beta']);
    expect(await names({ filter: `model_id IN ('${ids.alpha}', '${ids.gamma}')` })).toEqual(['gamma', 'alpha']);
  });

  it('orders by attributes and by a metric on a dataset, with missing values last', async () => {
    expect(await names({ order_by: [{ field_name: 'name', ascending: false }] })).toEqual(['gamma', 'beta', 'alpha']);
    expect(await names({ order_by: [{ field_name: 'creation_timestamp', ascending: true }] })).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names({ order_by: [{ field_name: 'metrics.accuracy', ascending: false, dataset_name: 'eval' }] })).toEqual(['alpha', 'beta', 'gamma']);
    // Without a dataset the latest point counts: beta's 0.95 on train.
    expect(await names({ order_by: [{ field_name: 'metrics.accuracy', ascending: false }] })).toEqual(['beta', 'alpha', 'gamma']);
    expect(await names({ order_by: [{ field_name: 'metrics.accuracy' }] })).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('pages with tokens tied to their query', async () => {
    const order_by = [{ field_name: 'name', ascending: true }];
    const first = await search({ order_by, max_results: 2 });
    expect(first.models?.map((m) => m.info.name)).toEqual(['alpha', 'beta']);
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = await search({ order_by, max_results: 2, page_token: first.next_page_token });
    expect(second.models?.map((m) => m.info.name)).toEqual(['gamma']);
    expect(second.next_page_token).toBeUndefined();
    // An explicit 0 means the server's default page size.
    expect((await search({ max_results: 0 })).models).toHaveLength(3);
    expectError(
      await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], filter: "name = 'alpha'", order_by, max_results: 2, page_token: first.next_page_token }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('rejects malformed searches', async () => {
    expectError(
      await t.mlflow('POST', '/logged-models/search', {}),
      400,
      'INVALID_PARAMETER_VALUE',
      "Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters.",
    );
    expectError(await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], filter: 'metrics.accuracy >' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], filter: "params.lr = '1' OR params.lr = '2'" }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(
      await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], datasets: [{ dataset_digest: 'x' }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      '`dataset_name` in the `datasets` clause must be specified.',
    );
    expectError(await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], order_by: [{ field_name: 'params.lr' }] }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], max_results: -1 }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.mlflow('POST', '/logged-models/search', { experiment_ids: [exp], page_token: 'not a token' }), 400, 'INVALID_PARAMETER_VALUE');
  });
});
