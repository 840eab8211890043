import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { expectedPredictions, publishModel } from '../serving/test-support/publish-model.js';

const API = '/api/capstan/v1';

interface Test {
  check: string;
  column?: string;
  status: string;
  description: string;
  parameters: { value: number | null; condition: Record<string, unknown> | null };
}

/** Data-quality checks over inline columns and a deployment's logged traffic, through the API. */
describe('data-quality reports', () => {
  let t: TestApp;
  const quality = (payload: unknown) => t.app.inject({ method: 'POST', url: `${API}/monitoring/data-quality`, payload: payload as object });
  const find = (tests: Test[], check: string, column?: string) => tests.find((x) => x.check === check && x.column === column)!;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await publishModel(t, 'serving/logreg-30', 'fraud');
    await t.app.inject({ method: 'PUT', url: `${API}/deployments/fraud`, payload: { name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }] } } });
    await t.serving.settle();
    const rows = (await expectedPredictions('serving/logreg-30')).rows as number[][];
    for (const row of rows) {
      const res = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: row }] } });
      expect(res.statusCode).toBe(200);
    }
    const deadline = Date.now() + 10_000;
    while ((await t.app.inject({ method: 'GET', url: `${API}/deployments/fraud/inference-log` })).json().records.length < rows.length) {
      if (Date.now() > deadline) throw new Error('the inference log did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => t?.cleanup());

  it('derives conditions from the reference and fails what changed, with a sentence', async () => {
    const res = await quality({
      reference: { columns: { amount: [10, 12, 11, 13, 12, 11, 10, 12, 11, 13], country: ['LK', 'US', 'LK', 'US', 'LK', 'US', 'LK', 'US', 'LK', 'US'] } },
      current: { columns: { amount: [10, null, 'NaN', 13, 12, 11, 10, 12, 11, 13], country: ['LK', 'US', 'FR', 'US', 'LK', 'US', 'LK', 'US', 'LK', ''] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json().data_quality;
    const missing = find(report.tests, 'missing_share', 'amount');
    expect(missing).toMatchObject({ status: 'FAIL', parameters: { value: 0.2 } });
    expect(missing.description).toMatch(/amount/);
    expect(find(report.tests, 'new_categories', 'country')).toMatchObject({ status: 'FAIL', parameters: { value: 1 } });
    expect(find(report.tests, 'row_count')).toMatchObject({ status: 'SUCCESS', parameters: { value: 10 } });
    expect(report.summary.current).toMatchObject({ row_count: 10, column_count: 2 });
    expect(report.summary.current.columns.find((c: { column: string }) => c.column === 'amount')).toMatchObject({ missing_count: 2, missing_share: 0.2 });
    expect(report.status_counts.FAIL).toBeGreaterThanOrEqual(2);
  });

  it('takes stated conditions with approx, and checks a model signature', async () => {
    const res = await quality({
      current: { columns: { amount: [1, 2, 3], plan: ['a', 'b', 'c'] } },
      signature: [{ name: 'amount', type: 'long' }, { name: 'hour', type: 'long', required: true }],
      checks: { row_count: { condition: { gte: { approx: 3, relative: 0.1 } } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const tests = res.json().data_quality.tests as Test[];
    expect(find(tests, 'row_count')).toMatchObject({ status: 'SUCCESS', parameters: { condition: { gte: { approx: 3, relative: 0.1 } } } });
    const signature = find(tests, 'signature');
    expect(signature.status).toBe('FAIL');
    expect(signature.description).toMatch(/hour/);
    expect(signature.description).toMatch(/plan/);
  });

  it("checks a deployment's logged inputs", async () => {
    const res = await quality({ current: { deployment: 'fraud', from: 0, to: Date.now() + 1 } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json().data_quality;
    expect(report.summary.current).toMatchObject({ column_count: 30, missing_count: 0 });
    expect(find(report.tests, 'dataset_missing_share')).toMatchObject({ status: 'SUCCESS' });
  });

  it('refuses bad requests in words', async () => {
    const unknownCheck = await quality({ current: { columns: { x: [1] } }, checks: { missing: {} } });
    expect(unknownCheck.statusCode).toBe(400);
    expect(unknownCheck.json().message).toMatch(/checks/);
    const ragged = await quality({ current: { columns: { x: [1, 2], y: [1] } } });
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    const ghost = await quality({ current: { deployment: 'ghost', from: 0, to: 1 } });
    expect(ghost.statusCode).toBe(404);
  });
});
