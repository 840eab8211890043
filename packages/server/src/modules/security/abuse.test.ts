import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { installErrorHandling } from '../../app/http/error-handler.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryWindowCounterStore } from '../../adapters/counter/memory-window-counter.js';
import { migrateToLatest } from '../../adapters/sql/migrate.js';
import { openSqliteDatabase } from '../../adapters/sql/sqlite/sqlite-database.js';
import { createLogger } from '../../core/logger.js';
import { createSecurityModule } from './index.js';
import { basic, createSecureTestApp, type SecureTestApp } from './test-support/secure-app.js';

const MLFLOW = '/api/2.0/mlflow';

describe('bad input against a secured server', () => {
  let t: SecureTestApp;
  let alice: string;
  let aliceExperiment: string;
  let otherExperiment: string;

  beforeAll(async () => {
    t = await createSecureTestApp('sqlite');
    alice = await t.userWithToken('alice');
    aliceExperiment = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: 'alice-exp' })).json().experiment_id as string;
    otherExperiment = (await t.call(t.adminAuth, 'POST', `${MLFLOW}/experiments/create`, { name: 'other-exp' })).json().experiment_id as string;
    await t.admin('PUT', '/grants', { object_type: 'experiment', object_id: aliceExperiment, user: 'alice', permission: 'EDIT' });
  });
  afterAll(async () => t.cleanup());

  it('limits request bodies per route: small RPCs and the admin API refuse what bulk logging accepts', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const create = await t.call(alice, 'POST', `${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: aliceExperiment, key: 'k', value: big });
    expect(create.statusCode).toBe(413);
    expect(create.json().error_code).toBe('REQUEST_TOO_LARGE');
    const admin = await t.call(t.adminAuth, 'POST', '/api/capstan/v1/groups', { name: 'g', description: 'y'.repeat(100 * 1024) });
    expect(admin.statusCode).toBe(413);
    const run = (await t.call(alice, 'POST', `${MLFLOW}/runs/create`, { experiment_id: aliceExperiment })).json().run.info.run_id as string;
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'v'.repeat(6000) }));
    const bulk = await t.call(alice, 'POST', `${MLFLOW}/runs/log-batch`, { run_id: run, params });
    expect(bulk.statusCode).toBe(200);
    // Refused before authentication is even looked at? No: strangers get 401 first, before any body is read.
    expect((await t.call(undefined, 'POST', `${MLFLOW}/experiments/set-experiment-tag`, { value: big })).statusCode).toBe(401);
  });

  it('treats search filters as data: injection attempts are syntax errors or literals, never SQL', async () => {
    const attempts = [
      "name = 'x' OR 1=1",
      "name = 'x'; DROP TABLE experiments; --",
      "name = 'x' UNION SELECT experiment_id FROM experiments --'",
      "tags.`a') OR ('1'='1` = 'b'",
      "name LIKE '%' OR '1'='1'",
    ];
    for (const filter of attempts) {
      const response = await t.call(alice, 'POST', `${MLFLOW}/experiments/search`, { filter });
      expect([200, 400], filter).toContain(response.statusCode);
      const found = (response.json().experiments ?? []) as { experiment_id: string }[];
      expect(found.map((e) => e.experiment_id), filter).not.toContain(otherExperiment);
    }
    const literal = await t.call(alice, 'POST', `${MLFLOW}/experiments/search`, { filter: "name = 'x''; DROP TABLE experiments; --'" });
    expect(literal.statusCode).toBe(200);
    const runs = await t.call(alice, 'POST', `${MLFLOW}/runs/search`, { experiment_ids: [aliceExperiment], filter: "params.p0 = '' OR '1'='1'" });
    expect([200, 400]).toContain(runs.statusCode);
    expect((await t.call(t.adminAuth, 'GET', `${MLFLOW}/experiments/get`, { experiment_id: otherExperiment })).statusCode).toBe(200);
  });

  it('confines artifact paths: no climbing out of an experiment the caller may write to', async () => {
    const run = (await t.call(alice, 'POST', `${MLFLOW}/runs/create`, { experiment_id: aliceExperiment })).json().run.info.run_id as string;
    // Sent byte for byte over a socket: an in-process request would normalise `..` before the server saw it.
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const escapes = [
      `${aliceExperiment}/${run}/artifacts/../../../${otherExperiment}/x.txt`,
      `${aliceExperiment}/%2e%2e/${otherExperiment}/x.txt`,
      `${aliceExperiment}/%252e%252e/${otherExperiment}/x.txt`,
      `${aliceExperiment}/..%2f${otherExperiment}/x.txt`,
      `%2F${otherExperiment}/x.txt`,
      `${aliceExperiment}/${run}/artifacts/..%5c..%5c${otherExperiment}%5cx.txt`,
      `${aliceExperiment}/${run}/artifacts/C:%5cWindows%5cx.txt`,
    ];
    for (const path of escapes) {
      const status = await rawPut(address, `/api/2.0/mlflow-artifacts/artifacts/${path}`, alice);
      expect([400, 403], path).toContain(status);
    }
    expect((await t.call(alice, 'GET', '/api/2.0/mlflow-artifacts/artifacts', { path: `${otherExperiment}` })).statusCode).toBe(403);
    expect((await t.call(t.adminAuth, 'GET', '/api/2.0/mlflow-artifacts/artifacts', { path: `${otherExperiment}` })).json()).toEqual({});
  });

  it('answers a Basic header for another realm the same way as a wrong password', async () => {
    const response = await t.call(basic('alice', ''), 'GET', '/api/capstan/v1/whoami');
    expect(response.statusCode).toBe(401);
  });
});

describe('inference rule', () => {
  it('admits only API tokens with the infer scope, and only for their deployments', async () => {
    const database = openSqliteDatabase(':memory:');
    const security = createSecurityModule({
      database,
      logger: createLogger('silent'),
      auth: { mode: 'on', allowInsecureRemote: false, adminUsername: 'boss', adminPassword: 'boss-password-123', throttle: { maxFailuresPerUser: 50, maxFailuresPerAddress: 500, windowSeconds: 60 } },
      counters: new MemoryWindowCounterStore(),
    });
    await migrateToLatest(database, security.migrations);
    await security.start?.();
    const app = Fastify();
    security.installHooks(app);
    installErrorHandling(app);
    security.registerRoutes(app);
    app.post('/v2/models/:name/infer', { config: { access: { kind: 'inference', deployment: (r) => (r.params as { name: string }).name } } }, async () => ({ ok: true }));
    try {
      const admin = basic('boss', 'boss-password-123');
      const mint = async (body: object) => (await app.inject({ method: 'POST', url: '/api/capstan/v1/tokens', headers: { authorization: admin }, payload: body })).json().token as string;
      const fraudOnly = await mint({ name: 'svc', scopes: ['infer'], deployments: ['fraud'] });
      const anyModel = await mint({ name: 'svc-any', scopes: ['infer'] });
      const readOnly = await mint({ name: 'reader', scopes: ['read', 'write'] });
      const infer = (authorization: string | undefined, model: string) =>
        app.inject({ method: 'POST', url: `/v2/models/${model}/infer`, ...(authorization ? { headers: { authorization } } : {}), payload: {} });
      expect((await infer(`Bearer ${fraudOnly}`, 'fraud')).statusCode).toBe(200);
      expect((await infer(`Bearer ${fraudOnly}`, 'churn')).statusCode).toBe(403);
      expect((await infer(`Bearer ${anyModel}`, 'churn')).statusCode).toBe(200);
      expect((await infer(`Bearer ${readOnly}`, 'fraud')).statusCode).toBe(403);
      expect((await infer(admin, 'fraud')).statusCode).toBe(403);
      expect((await infer(undefined, 'fraud')).statusCode).toBe(401);
      // And an infer token reaches nothing else.
      expect((await app.inject({ method: 'GET', url: '/api/capstan/v1/whoami', headers: { authorization: `Bearer ${fraudOnly}` } })).statusCode).toBe(403);
    } finally {
      await app.close();
      await security.stop?.();
      await database.close();
    }
  });
});

/** A PUT whose path reaches the server exactly as written (Node's client does not resolve `..`). */
function rawPut(base: string, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'PUT', path, headers: { authorization, 'content-type': 'application/octet-stream' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('data');
  });
}
