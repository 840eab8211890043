import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

describe.each(TEST_DIALECTS)('MLflow experiments/search-datasets on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  it('lists the distinct datasets runs of the experiments used, with their context', async () => {
    const experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'ds' })).json().experiment_id;
    const dataset = (digest: string) => ({ name: 'iris', digest, source_type: 'local', source: '/data/iris.csv' });
    for (const [digest, context] of [['d1', 'training'], ['d1', 'training'], ['d2', 'eval']] as const) {
      const runId = (await t.mlflow('POST', '/runs/create', { experiment_id: experimentId })).json().run.info.run_id;
      const res = await t.mlflow('POST', '/runs/log-inputs', {
        run_id: runId,
        datasets: [{ tags: [{ key: 'mlflow.data.context', value: context }], dataset: dataset(digest) }],
      });
      expect(res.statusCode).toBe(200);
    }
    const res = await t.mlflow('POST', '/experiments/search-datasets', { experiment_ids: [experimentId] });
    expect(res.json()).toEqual({
      dataset_summaries: [
        { experiment_id: experimentId, name: 'iris', digest: 'd1', context: 'training' },
        { experiment_id: experimentId, name: 'iris', digest: 'd2', context: 'eval' },
      ],
    });
    expect((await t.mlflow('POST', '/experiments/search-datasets', { experiment_ids: ['0'] })).json()).toEqual({});
    expect((await t.mlflow('POST', '/experiments/search-datasets', { experiment_ids: 'x' })).statusCode).toBe(200);
  });
});
