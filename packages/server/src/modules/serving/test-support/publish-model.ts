import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestApp } from '../../../app/test-support/test-app.js';
import { fixturePath } from '../../registry/package/test-support/package-files.js';

/**
 * Logs a fixture model folder as a run's `model` artifact and registers it as a new version of
 * `name` (created if needed), as `mlflow.onnx.log_model` + `mlflow.register_model` would.
 * Returns the version number.
 */
export async function publishModel(t: TestApp, fixture: string, name: string, authorization?: string): Promise<number> {
  const headers = authorization ? { authorization } : {};
  const call = (method: 'GET' | 'POST', path: string, body: Record<string, string>) =>
    t.app.inject({ method, url: `/api/2.0/mlflow${path}`, headers, ...(method === 'GET' ? { query: body } : { payload: body }) });
  const experiments = await call('GET', '/experiments/get-by-name', { experiment_name: 'serving-tests' });
  const experimentId = experiments.statusCode === 200
    ? (experiments.json().experiment.experiment_id as string)
    : ((await call('POST', '/experiments/create', { name: 'serving-tests' })).json().experiment_id as string);
  const run = (await call('POST', '/runs/create', { experiment_id: experimentId })).json().run.info.run_id as string;
  for (const file of await readdir(fixturePath(fixture))) {
    const url = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${run}/artifacts/model/${file}`;
    const res = await t.app.inject({ method: 'PUT', url, payload: await readFile(join(fixturePath(fixture), file)), headers: { ...headers, 'content-type': 'application/octet-stream' } });
    if (res.statusCode !== 200) throw new Error(`upload of ${file} failed: ${res.body}`);
  }
  await call('POST', '/registered-models/create', { name });
  const created = await call('POST', '/model-versions/create', { name, source: `runs:/${run}/model`, run_id: run });
  if (created.statusCode !== 200) throw new Error(`registration failed: ${created.body}`);
  return Number(created.json().model_version.version);
}

export interface ExpectedPredictions {
  rows: unknown[];
  label: number[];
  probabilities: number[][];
}

export async function expectedPredictions(fixture: string): Promise<ExpectedPredictions> {
  return JSON.parse(await readFile(join(fixturePath(fixture), 'expected.json'), 'utf8')) as ExpectedPredictions;
}
