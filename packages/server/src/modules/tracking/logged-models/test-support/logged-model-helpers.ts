import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { LoggedModel } from '@capstan/contracts';
import { expect } from 'vitest';
import type { TestApp } from '../../../../app/test-support/test-app.js';

/** Calls shared by the logged-model suites; each asserts success so a test fails where it breaks. */

export async function createExperiment(t: TestApp, name: string, artifactLocation?: string): Promise<string> {
  const res = await t.mlflow('POST', '/experiments/create', { name, ...(artifactLocation ? { artifact_location: artifactLocation } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().experiment_id as string;
}

export async function createRun(t: TestApp, experimentId: string): Promise<string> {
  const res = await t.mlflow('POST', '/runs/create', { experiment_id: experimentId, start_time: 1000 });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().run.info.run_id as string;
}

export async function createModel(t: TestApp, body: Record<string, unknown>): Promise<LoggedModel> {
  const res = await t.mlflow('POST', '/logged-models', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().model as LoggedModel;
}

export async function getModel(t: TestApp, modelId: string): Promise<LoggedModel> {
  const res = await t.mlflow('GET', `/logged-models/${modelId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().model as LoggedModel;
}

export async function ok(response: Promise<LightMyRequestResponse>): Promise<Record<string, unknown>> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown>;
}

export function expectError(res: LightMyRequestResponse, status: number, errorCode: string, message?: string | RegExp): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error_code: string; message: string };
  expect(body.error_code).toBe(errorCode);
  if (typeof message === 'string') expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
}

/**
 * Puts a file where the artifact proxy stores an upload to `mlflow-artifacts:/<key>`: the test
 * app's local blob store keeps each key as a path under its artifacts folder.
 */
export async function putArtifact(t: TestApp, key: string, content: string): Promise<void> {
  const path = join(t.artifactsDir, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** The blob key of a `mlflow-artifacts:/...` URI this server proxies. */
export function proxiedKey(uri: string): string {
  expect(uri).toMatch(/^mlflow-artifacts:\//);
  return uri.replace(/^mlflow-artifacts:\/+/, '');
}
