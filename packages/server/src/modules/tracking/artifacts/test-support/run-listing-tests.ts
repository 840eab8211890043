import { expect, it } from 'vitest';
import { expectInvalid, type ArtifactTestClient } from './artifact-test-client.js';

/** MLflow's /mlflow/artifacts/list RPC over what the proxy stored for a run. */
export function defineRunListingTests(c: ArtifactTestClient): void {
  it('lists a run created through the API via /mlflow/artifacts/list, relative to the run root', async () => {
    const experimentId = (await c.mlflow('POST', '/experiments/create', { name: c.fresh() })).json().experiment_id as string;
    const run = (await c.mlflow('POST', '/runs/create', { experiment_id: experimentId })).json().run;
    const runId = run.info.run_id as string;
    const rootUri = `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;
    expect(run.info.artifact_uri).toBe(rootUri);

    expect((await c.mlflow('GET', '/artifacts/list', { run_id: runId })).json()).toEqual({ root_uri: rootUri });
    const base = `${experimentId}/${runId}/artifacts`;
    await c.put(`${base}/metrics.json`, '{}', { 'content-type': 'application/json' });
    await c.put(`${base}/model/MLmodel`, 'flavors: {}\n');
    await c.put(`${base}/model/data/weights.bin`, Buffer.alloc(2048));

    expect((await c.mlflow('GET', '/artifacts/list', { run_id: runId })).json()).toEqual({
      root_uri: rootUri,
      files: [
        { path: 'metrics.json', is_dir: false, file_size: 2 },
        { path: 'model', is_dir: true },
      ],
    });
    const model = await c.mlflow('GET', '/artifacts/list', { run_id: runId, path: 'model' });
    expect(model.json()).toEqual({
      root_uri: rootUri,
      files: [
        { path: 'model/MLmodel', is_dir: false, file_size: 12 },
        { path: 'model/data', is_dir: true },
      ],
    });
    const legacy = await c.mlflow('GET', '/artifacts/list', { run_uuid: runId, path: 'model/data' });
    expect(legacy.json().files).toEqual([{ path: 'model/data/weights.bin', is_dir: false, file_size: 2048 }]);
    const ajax = await c.inject({ method: 'GET', url: '/ajax-api/2.0/mlflow/artifacts/list', query: { run_id: runId } });
    expect(ajax.json().files).toHaveLength(2);

    const unknown = await c.mlflow('GET', '/artifacts/list', { run_id: 'f'.repeat(32) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const escaping = await c.mlflow('GET', '/artifacts/list', { run_id: runId, path: '../../..' });
    expectInvalid(escaping);
    expectInvalid(await c.mlflow('GET', '/artifacts/list', { run_id: runId, path: '/etc' }));
    expectInvalid(await c.mlflow('GET', '/artifacts/list', {}));
  });

  it('lists runs whose artifacts the client writes directly as empty, with their root', async () => {
    const experimentId = (
      await c.mlflow('POST', '/experiments/create', { name: c.fresh(), artifact_location: 's3://elsewhere/mlruns' })
    ).json().experiment_id as string;
    const runId = (await c.mlflow('POST', '/runs/create', { experiment_id: experimentId })).json().run.info.run_id as string;
    const res = await c.mlflow('GET', '/artifacts/list', { run_id: runId });
    expect(res.json()).toEqual({ root_uri: `s3://elsewhere/mlruns/${runId}/artifacts` });
  });
}
