import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { startServer } from './start-server.js';
import { createTestApp, type TestApp } from './test-support/test-app.js';

describe('the HTTP foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.cleanup());

  it('answers health probes MLflow-style and with readiness that checks the stores', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.body).toBe('OK');
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/version' })).body).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('echoes a caller-supplied request id, and makes one up otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts requests and their latency per route template in Prometheus format', async () => {
    await t.mlflow('GET', '/experiments/get', { experiment_id: '0' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /capstan_http_requests_total\{method="GET",route="\/api\/2\.0\/mlflow\/experiments\/get",status_code="200"\} [1-9]/,
    );
    expect(res.body).toContain('capstan_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/2.0/mlflow/experiments/get"}');
    expect(res.body).toContain('capstan_process_cpu_seconds_total');
  });

  it('publishes an OpenAPI document of its routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/ready', '/api/2.0/mlflow/runs/log-batch']));
    expect(doc.paths['/health/ready'].get.responses['503']).toBeDefined();
  });

  it('answers unknown routes, bad JSON and wrong content types in the MLflow error shape', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/teleport', payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error_code).toBe('ENDPOINT_NOT_FOUND');

    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/runs/create',
      headers: { 'content-type': 'application/json' },
      payload: '{"experiment_id": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error_code).toBe('BAD_REQUEST');

    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/runs/create',
      headers: { 'content-type': 'application/x-yaml' },
      payload: 'a: 1',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error_code).toBeTypeOf('string');
  });

  it('rejects bodies over the limit with 413 and stores nothing', async () => {
    const small = await createTestApp('sqlite', { bodyLimitBytes: 1024 });
    try {
      const res = await small.mlflow('POST', '/experiments/create', { name: 'x'.repeat(4096) });
      expect(res.statusCode).toBe(413);
      expect(res.json().error_code).toBe('REQUEST_TOO_LARGE');
      const search = await small.mlflow('POST', '/experiments/search', {});
      expect(search.json().experiments).toHaveLength(1);
    } finally {
      await small.cleanup();
    }
  });
});

describe('artifact upload limit', () => {
  it('refuses proxied uploads over artifactUploadLimitBytes with 413 and stores nothing', async () => {
    const t = await createTestApp('sqlite', { artifactUploadLimitBytes: 16 });
    try {
      const url = '/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/big.bin';
      const big = await t.app.inject({ method: 'PUT', url, payload: Buffer.alloc(17) });
      expect(big.statusCode).toBe(413);
      expect(big.json().error_code).toBe('REQUEST_TOO_LARGE');
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'PUT', url, payload: Buffer.alloc(16) })).statusCode).toBe(200);
    } finally {
      await t.cleanup();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request that is in flight when shutdown begins, and refuses new ones', async () => {
    const server = await startServer(loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', backendStoreUri: 'sqlite://:memory:', artifactsDestination: `/tmp/capstan-shutdown-${process.pid}` } }));
    const url = new URL('/api/2.0/mlflow/experiments/create', server.url);
    const body = JSON.stringify({ name: 'in-flight' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Send half the body now, the rest after shutdown has begun.
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    const result = await response;
    await closed;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).experiment_id).toMatch(/^\d+$/);
    await expect(fetch(new URL('/health', server.url))).rejects.toThrow();
  });
});
