import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { parseMlModel, serializeMlModel } from './package/mlmodel.js';
import { fixturePath } from './package/test-support/package-files.js';

/**
 * Registering versions whose packages sit in the store the server proxies, as `mlflow.onnx.log_model`
 * followed by `mlflow.register_model("runs:/<run>/model", name)` leaves them.
 */
describe('model packages at registration', () => {
  let t: TestApp;
  let experimentId: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'packages' })).json().experiment_id as string;
    await t.mlflow('POST', '/registered-models/create', { name: 'iris' });
  });
  afterAll(async () => t.cleanup());

  /** Logs a fixture folder (optionally with a replaced MLmodel) as a run's `model` artifact; returns the run id. */
  async function logPackage(fixture: string, mlmodel?: string): Promise<string> {
    const run = (await t.mlflow('POST', '/runs/create', { experiment_id: experimentId })).json().run.info.run_id as string;
    for (const file of await readdir(fixturePath(fixture))) {
      const body = file === 'MLmodel' && mlmodel !== undefined ? Buffer.from(mlmodel) : await readFile(join(fixturePath(fixture), file));
      const url = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${run}/artifacts/model/${file}`;
      const res = await t.app.inject({ method: 'PUT', url, payload: body, headers: { 'content-type': 'application/octet-stream' } });
      expect(res.statusCode).toBe(200);
    }
    return run;
  }

  const register = (run: string) => t.mlflow('POST', '/model-versions/create', { name: 'iris', source: `runs:/${run}/model`, run_id: run });

  it('registers an ONNX package logged the MLflow way and keeps its signature', async () => {
    const run = await logPackage('iris-onnx');
    const res = await register(run);
    expect(res.statusCode).toBe(200);
    expect(res.json().model_version).toMatchObject({ name: 'iris', source: `runs:/${run}/model`, status: 'READY' });
    const facts = await t.app.inject({ method: 'GET', url: `/api/capstan/v1/model-versions/package?name=iris&version=${res.json().model_version.version}` });
    expect(facts.json()).toMatchObject({ flavor: 'onnx', signature: { inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 4] } }] } });
  });

  it('reads the signature from the graph when the package declares none', async () => {
    const res = await register(await logPackage('iris-onnx-no-signature'));
    expect(res.statusCode).toBe(200);
    const facts = await t.app.inject({ method: 'GET', url: `/api/capstan/v1/model-versions/package?name=iris&version=${res.json().model_version.version}` });
    const signature = facts.json().signature as { inputs: { 'tensor-spec': { dtype: string; shape: number[] } }[]; outputs: unknown[] };
    expect(signature.inputs[0]!['tensor-spec']).toEqual({ dtype: 'float32', shape: [-1, 4] });
    expect(signature.outputs.length).toBe(2);
  });

  it('refuses a model file that does not load, and registers nothing', async () => {
    const before = (await t.mlflow('GET', '/model-versions/search', { filter: "name = 'iris'" })).json().model_versions.length as number;
    const res = await register(await logPackage('broken-onnx'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.json().message).toContain('does not load in onnxruntime');
    expect((await t.mlflow('GET', '/model-versions/search', { filter: "name = 'iris'" })).json().model_versions).toHaveLength(before);
  });

  it('refuses a package whose declared signature contradicts its graph', async () => {
    const mlmodel = parseMlModel(await readFile(join(fixturePath('iris-onnx'), 'MLmodel'), 'utf8'));
    mlmodel.signature = { ...mlmodel.signature, inputs: JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1, 7] }, name: 'input' }]) };
    const res = await register(await logPackage('iris-onnx', serializeMlModel(mlmodel)));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('signature does not match');
  });

  it('registers sources it cannot read, unchecked, as MLflow does', async () => {
    expect((await t.mlflow('POST', '/model-versions/create', { name: 'iris', source: 's3://other-bucket/model' })).statusCode).toBe(200);
  });
});
