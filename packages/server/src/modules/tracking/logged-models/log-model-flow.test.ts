import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { createExperiment, createRun, getModel, ok, proxiedKey, putArtifact } from './test-support/logged-model-helpers.js';

/**
 * The requests MLflow 3's `mlflow.sklearn.log_model(model, name="model")` makes inside an active
 * run (Model.log), in the client's order, followed by an evaluation that logs metrics against the
 * model, and the reads the UI then makes.
 */
describe.each(TEST_DIALECTS)('MLflow 3 log_model sequence on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  it('creates, fills, finalizes and links a model, then reports its metrics and the run output', async () => {
    const experimentId = await createExperiment(t, 'log-model-flow');
    const runId = await createRun(t, experimentId);
    await ok(
      t.mlflow('POST', '/runs/log-batch', {
        run_id: runId,
        params: [
          { key: 'C', value: '0.5' },
          { key: 'penalty', value: 'l2' },
        ],
        metrics: [{ key: 'training_score', value: 0.93, timestamp: 1100, step: 0 }],
      }),
    );

    // Model.log copies the run's params onto the model it creates.
    const runParams = ((await ok(t.mlflow('GET', '/runs/get', { run_id: runId }))).run as { data: { params: unknown[] } }).data.params;
    const created = (
      await ok(
        t.mlflow('POST', '/logged-models', {
          experiment_id: experimentId,
          name: 'model',
          source_run_id: runId,
          params: runParams,
          tags: [
            { key: 'mlflow.user', value: 'ana' },
            { key: 'mlflow.source.name', value: 'train.py' },
            { key: 'mlflow.source.type', value: 'LOCAL' },
          ],
        }),
      )
    ).model as { info: Record<string, unknown>; data: Record<string, unknown> };
    const modelId = created.info.model_id as string;
    expect(modelId).toMatch(/^m-[0-9a-f]{32}$/);
    const createdAt = created.info.creation_timestamp_ms as number;
    expect(created).toEqual({
      info: {
        model_id: modelId,
        experiment_id: experimentId,
        name: 'model',
        creation_timestamp_ms: createdAt,
        last_updated_timestamp_ms: createdAt,
        artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
        status: 'LOGGED_MODEL_PENDING',
        source_run_id: runId,
        tags: [
          { key: 'mlflow.source.name', value: 'train.py' },
          { key: 'mlflow.source.type', value: 'LOCAL' },
          { key: 'mlflow.user', value: 'ana' },
        ],
      },
      data: {
        params: [
          { key: 'C', value: '0.5' },
          { key: 'penalty', value: 'l2' },
        ],
      },
    });

    // The run records the model as an output at step 0.
    await ok(t.mlflow('POST', '/runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 0 }] }));

    // log_model_metrics_for_step: the step's run metrics are logged again, now against the model.
    const history = (await ok(t.mlflow('GET', '/metrics/get-history', { run_id: runId, metric_key: 'training_score' }))).metrics as Record<
      string,
      unknown
    >[];
    await ok(t.mlflow('POST', '/runs/log-batch', { run_id: runId, metrics: history.map((m) => ({ ...m, run_id: runId, model_id: modelId })) }));

    // The files go through the artifact proxy to the model's artifact_location.
    const rootKey = proxiedKey(created.info.artifact_uri as string);
    const files = { MLmodel: 'artifact_path: model\nflavors: {}\n', 'model.pkl': 'pickled', 'requirements.txt': 'scikit-learn\n' };
    for (const [name, content] of Object.entries(files)) await putArtifact(t, `${rootKey}/${name}`, content);

    const finalized = (await ok(t.mlflow('PATCH', `/logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' })))
      .model as { info: Record<string, unknown> };
    expect(finalized.info.status).toBe('LOGGED_MODEL_READY');
    expect(finalized.info.last_updated_timestamp_ms).toBeGreaterThanOrEqual(createdAt);

    // mlflow.evaluate / log_metric(model_id=..., dataset=...) against the model.
    await ok(
      t.mlflow('POST', '/runs/log-batch', {
        run_id: runId,
        metrics: [{ key: 'accuracy', value: 0.91, timestamp: 1300, step: 0, model_id: modelId, dataset_name: 'test', dataset_digest: 'd41d8cd9' }],
      }),
    );

    const model = await getModel(t, modelId);
    expect(model.info.status).toBe('LOGGED_MODEL_READY');
    expect(model.data?.metrics).toEqual([
      { key: 'accuracy', value: 0.91, timestamp: 1300, step: 0, dataset_name: 'test', dataset_digest: 'd41d8cd9', model_id: modelId, run_id: runId },
      { key: 'training_score', value: 0.93, timestamp: 1100, step: 0, model_id: modelId, run_id: runId },
    ]);

    const run = (await ok(t.mlflow('GET', '/runs/get', { run_id: runId }))).run as { outputs: unknown; data: { metrics: { key: string }[] } };
    expect(run.outputs).toEqual({ model_outputs: [{ model_id: modelId, step: 0 }] });
    expect(run.data.metrics.map((m) => m.key)).toEqual(['accuracy', 'training_score']);

    const listing = await ok(t.mlflow('GET', `/logged-models/${modelId}/artifacts/directories`));
    expect(listing).toEqual({
      root_uri: created.info.artifact_uri,
      files: Object.entries(files).map(([path, content]) => ({ path, is_dir: false, file_size: Buffer.byteLength(content) })),
    });

    // The model is found by what the UI's models tab asks for.
    const found = await ok(
      t.mlflow('POST', '/logged-models/search', {
        experiment_ids: [experimentId],
        filter: `source_run_id = '${runId}' AND metrics.accuracy > 0.9`,
        datasets: [{ dataset_name: 'test' }],
      }),
    );
    expect((found.models as { info: { model_id: string } }[]).map((m) => m.info.model_id)).toEqual([modelId]);
  });
});
