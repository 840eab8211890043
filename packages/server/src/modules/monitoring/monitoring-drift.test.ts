import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { expectedPredictions, publishModel } from '../serving/test-support/publish-model.js';
import { detectColumnDrift } from './drift/index.js';

const API = '/api/capstan/v1';
const REQUESTS_PER_WINDOW = 40;

/**
 * The drift report over real logged traffic: a deployment serves 40 requests of the fixture's rows,
 * then 40 of the same rows shifted by 5 on every feature; the report compares the two windows of
 * its inference log, and inline columns, with Evidently's default tests.
 */
describe('drift reports', () => {
  let t: TestApp;
  let windows: { reference: { from: number; to: number }; current: { from: number; to: number } };

  const drift = (payload: unknown) => t.app.inject({ method: 'POST', url: `${API}/monitoring/drift`, payload: payload as object });
  const infer = async (row: number[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: row }] } });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await publishModel(t, 'serving/logreg-30', 'fraud');
    const created = await t.app.inject({ method: 'PUT', url: `${API}/deployments/fraud`, payload: { name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }] } } });
    expect(created.statusCode, created.body).toBeLessThan(300);
    await t.serving.settle();
    const rows = (await expectedPredictions('serving/logreg-30')).rows as number[][];
    const from = Date.now();
    for (let i = 0; i < REQUESTS_PER_WINDOW; i++) await infer(rows[i % rows.length]!.map((x) => x + (i % 5) * 0.01));
    await new Promise((r) => setTimeout(r, 5));
    const middle = Date.now();
    for (let i = 0; i < REQUESTS_PER_WINDOW; i++) await infer(rows[i % rows.length]!.map((x) => x + 5 + (i % 5) * 0.01));
    const to = Date.now() + 1;
    windows = { reference: { from, to: middle }, current: { from: middle, to } };
    // The log is written in the background: wait until both windows are in it.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const log = await t.app.inject({ method: 'GET', url: `${API}/deployments/fraud/inference-log?limit=1000` });
      if (log.json().records.length === 2 * REQUESTS_PER_WINDOW) break;
      if (Date.now() > deadline) throw new Error('the inference log did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => t?.cleanup());

  it('finds data drift between two windows of a deployment, feature by feature', async () => {
    const res = await drift({ reference: { deployment: 'fraud', ...windows.reference }, current: { deployment: 'fraud', ...windows.current } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json().drift;
    expect(report).toMatchObject({ number_of_columns: 30, number_of_drifted_columns: 30, share_of_drifted_columns: 1, dataset_drift: true, reference_rows: 40, current_rows: 40 });
    expect(report.columns[0]).toMatchObject({ column_name: 'input[0]', column_type: 'numerical', stattest: 'ks', stattest_name: 'K-S p_value', score_kind: 'p_value', stattest_threshold: 0.05, drift_detected: true, reference_size: 40, current_size: 40 });
  });

  it('finds none between a window and itself, and compares predictions with part: outputs', async () => {
    const same = (await drift({ reference: { deployment: 'fraud', ...windows.reference }, current: { deployment: 'fraud', ...windows.reference } })).json().drift;
    expect(same).toMatchObject({ number_of_drifted_columns: 0, dataset_drift: false });
    const predictions = await drift({
      reference: { deployment: 'fraud', ...windows.reference, part: 'outputs' },
      current: { deployment: 'fraud', ...windows.current, part: 'outputs' },
    });
    expect(predictions.statusCode, predictions.body).toBe(200);
    expect(predictions.json().drift.columns.map((c: { column_name: string }) => c.column_name).sort()).toEqual(['label', 'probabilities[0]', 'probabilities[1]']);
  });

  it('finds target drift in the labels posted for each window (part: labels)', async () => {
    const records = (await t.app.inject({ method: 'GET', url: `${API}/deployments/fraud/inference-log?limit=1000` })).json().records as { request_id: string; at: number }[];
    // Mostly 0 in the reference window, mostly 1 in the current one; every fifth current request unlabelled.
    const labels = records.flatMap((r, i) => {
      const inReference = r.at < windows.current.from;
      if (!inReference && i % 5 === 0) return [];
      return [{ request_id: r.request_id, label: inReference ? Number(i % 4 === 0) : Number(i % 4 !== 0) }];
    });
    expect((await t.app.inject({ method: 'POST', url: `${API}/deployments/fraud/labels`, payload: { labels } })).statusCode).toBe(200);
    const res = await drift({ reference: { deployment: 'fraud', ...windows.reference, part: 'labels' }, current: { deployment: 'fraud', ...windows.current, part: 'labels' } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json().drift;
    expect(report).toMatchObject({ number_of_columns: 1, dataset_drift: true, reference_rows: REQUESTS_PER_WINDOW, current_rows: REQUESTS_PER_WINDOW });
    // Unlabelled rows are missing, which makes the current side float as in pandas (so numerical), and
    // two values in a small reference pick Evidently's z-test; the missing rows are not compared.
    expect(report.columns[0]).toMatchObject({ column_name: 'label', column_type: 'numerical', stattest: 'z', drift_detected: true, reference_size: REQUESTS_PER_WINDOW, current_size: 32 });
  });

  it('compares inline columns with the statistics library, honouring named tests, thresholds and NaN spellings', async () => {
    const reference = Array.from({ length: 50 }, (_, i) => i / 10);
    const current = Array.from({ length: 50 }, (_, i) => i / 10 + 0.7);
    const res = await drift({
      reference: { columns: { x: [...reference, 'NaN'], plan: Array.from({ length: 51 }, (_, i) => (i % 3 === 0 ? 'pro' : 'free')) } },
      current: { columns: { x: [...current, 'Infinity'], plan: Array.from({ length: 51 }, () => 'free') } },
      per_column_stattest: { x: 'wasserstein' },
      per_column_stattest_threshold: { x: 0.2 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [x, plan] = res.json().drift.columns as { column: string; drift_score: number; stattest: string; reference_size: number }[];
    const expected = detectColumnDrift(reference, current, { stattest: 'wasserstein', threshold: 0.2 });
    expect(x).toMatchObject({ column_name: 'x', stattest: 'wasserstein', stattest_threshold: 0.2, drift_score: expected.score, reference_size: 50, drift_detected: expected.drifted });
    // Two categories in a small reference: Evidently's default is the z-test for proportions.
    expect(plan).toMatchObject({ column_name: 'plan', column_type: 'categorical', stattest: 'z', drift_detected: true });
  });

  it('spells out a non-finite statistic rather than sending null', async () => {
    const res = await drift({ reference: { columns: { plan: ['a', 'b', 'c', 'a'] } }, current: { columns: { plan: ['x', 'y', 'z', 'x'] } } });
    expect(res.json().drift.columns[0]).toMatchObject({ stattest: 'chisquare', statistic: 'Infinity', drift_score: 0, drift_detected: true });
  });

  it('refuses bad requests in words, with the right status', async () => {
    const inline = { columns: { x: [1, 2, 3] } };
    const typo = await drift({ reference: inline, current: inline, stat_test: 'ks' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(typo.json().message).toMatch(/stat_test/);
    const unknownTest = await drift({ reference: inline, current: inline, stattest: 'kolmogorov' });
    expect(unknownTest.statusCode).toBe(400);
    expect(unknownTest.json().message).toMatch(/stattest/);
    const backwards = await drift({ reference: { deployment: 'fraud', from: 10, to: 5 }, current: inline });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toBe('Invalid drift request: reference: from must not be after to');
    const noCurrent = await drift({ reference: inline });
    expect(noCurrent.json().message).toBe('Invalid drift request: current: required');
    const shapeless = await drift({ reference: { rows: [] }, current: inline });
    expect(shapeless.json().message).toMatch(/^Invalid drift request: reference: must be \{"columns"/);
    const ghost = await drift({ reference: { deployment: 'ghost', from: 0, to: 5 }, current: inline });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json().message).toBe("Deployment 'ghost' not found");
    const empty = await drift({ reference: { columns: { x: [null, null] } }, current: inline });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
