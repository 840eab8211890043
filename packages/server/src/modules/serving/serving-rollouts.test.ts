import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVING_DEFAULTS } from '../../core/config.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { expectedPredictions, publishModel } from './test-support/publish-model.js';

const API = '/api/capstan/v1';

/**
 * Version changes driven by real requests through the server: a hot swap when an alias moves,
 * blue-green and rollback, a canary that promotes, one that rolls back on drift, and a shadow.
 * Versions: 1 logreg-30, 2 logreg-30-v2 (mostly agrees), 3 logreg-30-flipped (always disagrees).
 */
describe('rolling out new versions under traffic', () => {
  let t: TestApp;
  let rows: number[][];

  beforeAll(async () => {
    t = await createTestApp('sqlite', { serving: { ...SERVING_DEFAULTS, reconcileIntervalMs: 3_600_000, maxQueueDelayMicros: 0 } });
    await publishModel(t, 'serving/logreg-30', 'fraud');
    await publishModel(t, 'serving/logreg-30-v2', 'fraud');
    await publishModel(t, 'serving/logreg-30-flipped', 'fraud');
    await t.mlflow('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
    rows = (await expectedPredictions('serving/logreg-30')).rows as number[][];
  });
  afterAll(async () => t?.cleanup());

  const infer = (deployment: string, row = rows[0]!, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/v2/models/${deployment}/infer`, headers, payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: row }] } });
  const deploy = async (name: string, spec: object) => {
    const res = await t.app.inject({ method: 'POST', url: `${API}/deployments`, payload: { name, spec } });
    expect(res.statusCode, res.body).toBe(201);
    await t.serving.settle();
  };
  const get = async (name: string) => (await t.app.inject({ method: 'GET', url: `${API}/deployments/${name}` })).json().deployment;

  it('follows a moved alias with a hot swap: no failed request while the new version loads and takes over', async () => {
    await deploy('swap', { models: [{ uri: 'models:/fraud@champion' }] });
    expect((await infer('swap')).json().model_version).toBe('1');

    let stop = false;
    const versions: string[] = [];
    const failures: string[] = [];
    const load = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const res = await infer('swap', rows[versions.length % rows.length]);
        if (res.statusCode === 200) versions.push(res.json().model_version as string);
        else failures.push(`${res.statusCode} ${res.body}`);
      }
    });
    await sleep(50);
    await t.mlflow('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '2' });
    await t.serving.settle();
    await sleep(50);
    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(versions).toContain('1');
    expect(versions.at(-1)).toBe('2');
    const deployment = await get('swap');
    expect(deployment.traffic.versions).toMatchObject([{ version: '2', uri: 'models:/fraud@champion', weight: 100 }]);
    await t.mlflow('POST', '/registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' });
  });

  it('moves blue-green traffic in one step, honours the version header, and rolls back instantly', async () => {
    await deploy('bluegreen', { models: [{ uri: 'models:/fraud/1', weight: 100 }, { uri: 'models:/fraud/2', weight: 0 }] });
    expect((await infer('bluegreen')).json().model_version).toBe('1');
    expect((await infer('bluegreen', rows[0], { 'x-capstan-version': '2' })).json().model_version).toBe('2');

    const moved = await t.app.inject({ method: 'POST', url: `${API}/deployments/bluegreen/traffic`, payload: { weights: { '1': 0, '2': 100 } } });
    expect(moved.statusCode, moved.body).toBe(200);
    await t.serving.settle();
    expect((await infer('bluegreen')).json().model_version).toBe('2');

    expect((await t.app.inject({ method: 'POST', url: `${API}/deployments/bluegreen/rollback` })).statusCode).toBe(200);
    await t.serving.settle();
    expect((await infer('bluegreen')).json().model_version).toBe('1');

    const unknown = await t.app.inject({ method: 'POST', url: `${API}/deployments/bluegreen/traffic`, payload: { weights: { '9': 100 } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/does not serve version 9/);
  });

  it('splits traffic by weight, and keeps a sticky caller on one version', async () => {
    await deploy('ab', { models: [{ uri: 'models:/fraud/1', weight: 50 }, { uri: 'models:/fraud/2', weight: 50 }], sticky_header: 'x-user' });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await infer('ab')).json().model_version as string);
    expect(seen).toEqual(new Set(['1', '2']));
    const sticky = new Set<string>();
    for (let i = 0; i < 20; i++) sticky.add((await infer('ab', rows[0], { 'x-user': 'alice' })).json().model_version as string);
    expect(sticky.size).toBe(1);
  });

  const canaryAnalysis = { min_requests: 30, max_latency_p99_ratio: 100, max_error_rate_increase: 0.05, drift_p_value: 0.001 };

  it('promotes a canary that behaves like the stable version, and moves the alias', async () => {
    await deploy('canary-good', { models: [{ uri: 'models:/fraud/1' }], canary: { steps: [50], step_interval_seconds: 0.2, analysis: canaryAnalysis } });
    const started = await t.app.inject({ method: 'POST', url: `${API}/deployments/canary-good/canary`, payload: { uri: 'models:/fraud/2', promote_alias: 'challenger-won' } });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().deployment.traffic.versions).toMatchObject([{ version: '1', weight: 50 }, { version: '2', weight: 50 }]);
    await t.serving.settle();
    for (let round = 0; round < 30 && (await get('canary-good')).canary.status === 'progressing'; round++) {
      for (let i = 0; i < 40; i++) await infer('canary-good', rows[i % rows.length]);
      await sleep(100);
      await t.serving.settle();
    }
    const done = await get('canary-good');
    expect(done.canary.status).toBe('promoted');
    expect(done.traffic.versions).toMatchObject([{ version: '2', weight: 100 }]);
    await t.serving.settle();
    expect((await infer('canary-good')).json().model_version).toBe('2');
    const alias = await t.mlflow('GET', '/registered-models/alias', { name: 'fraud', alias: 'challenger-won' });
    expect(alias.json().model_version.version).toBe('2');
  });

  it('rolls a canary back automatically when its predictions drift from the stable version', async () => {
    // Compared on the fraud probability: the flipped model gives each row the complement.
    await deploy('canary-bad', { models: [{ uri: 'models:/fraud/1' }], canary: { steps: [50], step_interval_seconds: 0.2, analysis: { ...canaryAnalysis, prediction_output: 'probabilities' } } });
    expect((await t.app.inject({ method: 'POST', url: `${API}/deployments/canary-bad/canary`, payload: { uri: 'models:/fraud/3' } })).statusCode).toBe(200);
    await t.serving.settle();
    // Rows the stable version calls legitimate: the flipped candidate calls every one of them fraud.
    const labels = (await expectedPredictions('serving/logreg-30')).label;
    const legit = rows.filter((_, i) => labels[i] === 0);
    for (let round = 0; round < 30 && (await get('canary-bad')).canary.status === 'progressing'; round++) {
      for (let i = 0; i < 40; i++) await infer('canary-bad', legit[i % legit.length]);
      await sleep(50);
      await t.serving.settle();
    }
    const done = await get('canary-bad');
    expect(done.canary.status).toBe('rolled_back');
    expect(done.canary.reason).toMatch(/drift|distribution|KS/i);
    expect(done.traffic.versions).toMatchObject([{ version: '1', weight: 100 }]);
    await t.serving.settle();
    for (let i = 0; i < 5; i++) expect((await infer('canary-bad')).json().model_version).toBe('1');
  });

  it('mirrors traffic to a shadow without changing any answer, and compares the two', async () => {
    await deploy('shadowed', { models: [{ uri: 'models:/fraud/1' }], shadow: { uri: 'models:/fraud/3', percent: 100 } });
    const want = (await expectedPredictions('serving/logreg-30')).label;
    for (let i = 0; i < rows.length; i++) {
      const res = await infer('shadowed', rows[i]);
      expect(res.json().model_version).toBe('1');
      expect(res.json().outputs[0].data).toEqual([want[i]]);
    }
    await sleep(50);
    const status = (await t.app.inject({ method: 'GET', url: `${API}/deployments/shadowed/status` })).json().status;
    expect(status.versions).toMatchObject([{ version: '1', role: 'traffic' }, { version: '3', role: 'shadow' }]);
    expect(status.shadow_comparison.mirrored).toBe(rows.length);
    expect(status.shadow_comparison.shadowErrors).toBe(0);
    // The flipped model disagrees on every label.
    expect(status.shadow_comparison.numeric.agreementRate).toBe(0);
  });
});
