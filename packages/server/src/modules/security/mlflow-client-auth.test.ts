import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_PASSWORD, basic, createSecureTestApp, type SecureTestApp } from './test-support/secure-app.js';

/**
 * An MLflow client against a secured server, over a real socket. mlflow/utils/rest_utils.py sends
 * `Authorization: Basic` built from MLFLOW_TRACKING_USERNAME/PASSWORD, or `Bearer` from
 * MLFLOW_TRACKING_TOKEN, on every tracking and artifact call; multipart part uploads go to the URLs
 * mpu/create returned, with no credentials, as to presigned S3 URLs.
 */
describe('an MLflow client with credentials', () => {
  let t: SecureTestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite');
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    token = String((await t.admin('POST', '/tokens', { name: 'MLFLOW_TRACKING_TOKEN', scopes: ['read', 'write'] })).token);
  });
  afterAll(async () => t.cleanup());

  const client = (authorization: string | undefined) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'user-agent': 'mlflow-python-client/2.19.0', ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...headers, ...(authorization ? { authorization } : {}) },
      ...(body === undefined ? {} : { body: body instanceof Uint8Array ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  for (const [label, auth] of [
    ['MLFLOW_TRACKING_TOKEN', () => `Bearer ${token}`],
    ['MLFLOW_TRACKING_USERNAME/PASSWORD', () => basic(ADMIN, ADMIN_PASSWORD)],
  ] as const) {
    it(`logs a run, its artifacts and a multipart upload with ${label}`, async () => {
      const call = client(auth());
      const name = `client-${label}`;
      const created = await call('POST', '/api/2.0/mlflow/experiments/create', { name });
      expect(created.status).toBe(200);
      const experimentId = (JSON.parse(created.text) as { experiment_id: string }).experiment_id;
      const run = JSON.parse((await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId, start_time: Date.now() })).text).run.info;
      const batch = await call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: run.run_id, metrics: [{ key: 'loss', value: 0.5, timestamp: Date.now(), step: 1 }], params: [{ key: 'lr', value: '0.1' }] });
      expect(batch.status).toBe(200);

      const artifactBase = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${run.run_id}/artifacts`;
      expect((await call('PUT', `${artifactBase}/model/MLmodel`, new TextEncoder().encode('flavors: {}\n'), { 'content-type': 'application/octet-stream' })).status).toBe(200);

      const mpu = JSON.parse((await call('POST', `/api/2.0/mlflow-artifacts/mpu/create/${experimentId}/${run.run_id}/artifacts/weights`, { path: 'weights.bin', num_parts: 2 })).text) as {
        upload_id: string;
        credentials: { url: string; part_number: number }[];
      };
      const parts = [];
      for (const credential of mpu.credentials) {
        // No Authorization header: the signature in the URL is the credential.
        const put = await fetch(credential.url, { method: 'PUT', body: new Uint8Array(5 * 1024 * 1024).fill(credential.part_number) });
        expect(put.status).toBe(200);
        parts.push({ part_number: credential.part_number, etag: put.headers.get('etag') ?? '' });
      }
      const tamperedUrl = mpu.credentials[0]!.url.replace(/X-Capstan-Expires=\d+/, 'X-Capstan-Expires=9999999999');
      expect((await fetch(tamperedUrl, { method: 'PUT', body: 'x' })).status).toBe(401);
      expect((await call('POST', `/api/2.0/mlflow-artifacts/mpu/complete/${experimentId}/${run.run_id}/artifacts/weights`, { path: 'weights.bin', upload_id: mpu.upload_id, parts })).status).toBe(200);

      const listed = JSON.parse((await call('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.run_id}`)).text) as { files: { path: string }[] };
      expect(listed.files.map((f) => f.path).sort()).toEqual(['model', 'weights']);
      const download = await call('GET', `${artifactBase}/weights/weights.bin`);
      expect(download.status).toBe(200);
      const search = JSON.parse((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId] })).text) as { runs: unknown[] };
      expect(search.runs).toHaveLength(1);

      // The same calls without credentials are refused.
      const anonymous = client(undefined);
      expect((await anonymous('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId] })).status).toBe(401);
      expect((await anonymous('GET', `${artifactBase}/model/MLmodel`)).status).toBe(401);
    });
  }
});
