import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeploymentManifest } from '@capstan/contracts';

/** The committed serving fixtures (scripts/fixtures/make-serving-models.py). */
export const SERVING_FIXTURES = fileURLToPath(new URL('../../fixtures/models/serving/', import.meta.url));

export interface ServingFixture {
  dir: string;
  rows: number[][];
}

export async function servingFixture(name: string): Promise<ServingFixture> {
  const dir = join(SERVING_FIXTURES, name);
  const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as { rows: number[][] };
  return { dir, rows: expected.rows };
}

/** A single-row OIP v2 request for a model whose one FP32 input is `[-1, width]`. */
export function oipRow(row: readonly number[], input = 'input'): string {
  return JSON.stringify({ inputs: [{ name: input, datatype: 'FP32', shape: [1, row.length], data: row }] });
}

async function call(base: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Logs a fixture folder as a run's `model` artifact and registers it as a new version of `name`
 * through the public MLflow API, as `mlflow.onnx.log_model` + `mlflow.register_model` would.
 */
export async function publishModel(base: string, fixtureDir: string, name: string): Promise<string> {
  const api = '/api/2.0/mlflow';
  const experiment = (await call(base, 'POST', `${api}/experiments/create`, { name: `bench-${name}-${Date.now()}` })) as { experiment_id: string };
  const run = ((await call(base, 'POST', `${api}/runs/create`, { experiment_id: experiment.experiment_id })) as { run: { info: { run_id: string } } }).run.info.run_id;
  for (const file of await readdir(fixtureDir)) {
    const url = `/api/2.0/mlflow-artifacts/artifacts/${experiment.experiment_id}/${run}/artifacts/model/${file}`;
    await call(base, 'PUT', url, new Uint8Array(await readFile(join(fixtureDir, file))), 'application/octet-stream');
  }
  await call(base, 'POST', `${api}/registered-models/create`, { name }).catch(() => undefined);
  const created = (await call(base, 'POST', `${api}/model-versions/create`, { name, source: `runs:/${run}/model`, run_id: run })) as { model_version: { version: string } };
  return created.model_version.version;
}

export async function setAlias(base: string, name: string, alias: string, version: string): Promise<void> {
  await call(base, 'POST', '/api/2.0/mlflow/registered-models/alias', { name, alias, version });
}

/** Creates (or replaces) a deployment and waits until it answers. */
export async function deploy(base: string, manifest: DeploymentManifest): Promise<void> {
  await call(base, 'PUT', `/api/capstan/v1/deployments/${manifest.name}`, manifest);
  await waitFor(async () => (await fetch(`${base}/v2/models/${manifest.name}/ready`)).status === 200, `deployment ${manifest.name} ready`);
}

/** Polls `check` every 20 ms until it holds, for at most `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
