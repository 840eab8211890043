import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

describe.each(TEST_DIALECTS)('MLflow runs/log-model on %s', (dialect) => {
  let t: TestApp;
  let runId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    runId = (await t.mlflow('POST', '/runs/create', {})).json().run.info.run_id;
  });
  afterAll(async () => t.cleanup());

  const model = (artifactPath: string) => ({
    artifact_path: artifactPath,
    run_id: runId,
    utc_time_created: '2026-11-22 10:00:00.000000',
    model_uuid: `uuid-${artifactPath}`,
    mlflow_version: '2.17.0',
    signature: { inputs: '[{"type": "double"}]' },
    flavors: {
      python_function: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' } },
      sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.5.0', config: { huge: 'x'.repeat(100) } },
    },
  });

  it('appends a summary per logged model to mlflow.log-model.history, without flavor configs', async () => {
    for (const path of ['model', 'model-v2']) {
      const res = await t.mlflow('POST', '/runs/log-model', { run_id: runId, model_json: JSON.stringify(model(path)) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({});
    }
    const tags = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data.tags as { key: string; value: string }[];
    const history = JSON.parse(tags.find((tag) => tag.key === 'mlflow.log-model.history')!.value);
    expect(history).toEqual(
      ['model', 'model-v2'].map((path) => ({
        run_id: runId,
        utc_time_created: '2026-11-22 10:00:00.000000',
        artifact_path: path,
        model_uuid: `uuid-${path}`,
        flavors: {
          python_function: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' } },
          sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.5.0' },
        },
      })),
    );
  });

  it('rejects malformed or incomplete model JSON as MLflow does', async () => {
    const notJson = await t.mlflow('POST', '/runs/log-model', { run_id: runId, model_json: 'not json' });
    expect(notJson.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(notJson.json().message).toContain('Malformed model info');
    const incomplete = await t.mlflow('POST', '/runs/log-model', { run_id: runId, model_json: JSON.stringify({ some: 'data' }) });
    expect(incomplete.json().message).toContain('Model json is missing mandatory fields');
    const unknownRun = await t.mlflow('POST', '/runs/log-model', { run_id: 'f'.repeat(32), model_json: JSON.stringify(model('m')) });
    expect(unknownRun.statusCode).toBe(404);
  });
});
