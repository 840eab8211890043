import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { historyPageJson, sampleEvenly } from './metric-history.js';

describe('sampleEvenly', () => {
  it('keeps both ends and spaces the rest evenly', () => {
    expect(sampleEvenly([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(sampleEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10]);
    expect(sampleEvenly([4, 8], 1)).toEqual([4]);
  });
});

describe.each(TEST_DIALECTS)('MLflow metric history API on %s', (dialect) => {
  let t: TestApp;
  let runA: string;
  let runB: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    runA = (await t.mlflow('POST', '/runs/create', {})).json().run.info.run_id;
    runB = (await t.mlflow('POST', '/runs/create', {})).json().run.info.run_id;
    for (const runId of [runA, runB]) {
      const metrics = Array.from({ length: 250 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 10_000 + step, step }));
      for (let i = 0; i < metrics.length; i += 100) await t.mlflow('POST', '/runs/log-batch', { run_id: runId, metrics: metrics.slice(i, i + 100) });
    }
  });
  afterAll(async () => t.cleanup());

  it('returns the whole history in step order, and pages through it', async () => {
    const all = (await t.mlflow('GET', '/metrics/get-history', { run_id: runA, metric_key: 'loss' })).json();
    expect(all.metrics).toHaveLength(250);
    expect(all.metrics[0]).toEqual({ key: 'loss', value: 1, timestamp: 10_000, step: 0 });
    expect(all.next_page_token).toBeUndefined();

    const steps: number[] = [];
    let token: string | undefined;
    do {
      const page = (await t.mlflow('GET', '/metrics/get-history', { run_id: runA, metric_key: 'loss', max_results: 100, ...(token ? { page_token: token } : {}) })).json();
      steps.push(...page.metrics.map((m: { step: number }) => m.step));
      token = page.next_page_token;
    } while (token);
    expect(steps).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('returns an empty history for an unknown key and 404 for an unknown run', async () => {
    expect((await t.mlflow('GET', '/metrics/get-history', { run_id: runA, metric_key: 'nope' })).json()).toEqual({});
    const res = await t.mlflow('GET', '/metrics/get-history', { run_id: 'a'.repeat(32), metric_key: 'loss' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('samples several runs in a step interval (get-history-bulk-interval)', async () => {
    const res = await t.mlflow('GET', '/metrics/get-history-bulk-interval', {
      run_ids: [runB, runA],
      metric_key: 'loss',
      start_step: 10,
      end_step: 110,
      max_results: 11,
    });
    expect(res.statusCode).toBe(200);
    const metrics = res.json().metrics as { run_id: string; step: number }[];
    expect(metrics).toHaveLength(22);
    expect(metrics.slice(0, 11).every((m) => m.run_id === [runA, runB].sort()[0])).toBe(true);
    expect(metrics.slice(0, 11).map((m) => m.step)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);

    const bad = await t.mlflow('GET', '/metrics/get-history-bulk-interval', { run_ids: [runA], metric_key: 'loss', start_step: 5 });
    expect(bad.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    const tooMany = await t.mlflow('GET', '/metrics/get-history-bulk-interval', {
      run_ids: Array.from({ length: 101 }, (_, i) => `r${i}`),
      metric_key: 'loss',
    });
    expect(tooMany.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('historyPageJson', () => {
  it('writes exactly what JSON.stringify of the wire objects would', () => {
    const page = {
      key: 'lo"ss',
      points: [
        { value: 0.1 + 0.2, is_nan: 0, timestamp: 1_700_000_000_000, step: -3 },
        { value: 0, is_nan: 1, timestamp: 2, step: 0 },
        { value: Number.POSITIVE_INFINITY, is_nan: 0, timestamp: 3, step: 1 },
        { value: -1e-300, is_nan: 0, timestamp: 4, step: 2 },
      ],
      nextPageToken: 'eyJvZmZzZXQiOiA0fQ==',
    };
    const expected = {
      metrics: [
        { key: 'lo"ss', value: 0.30000000000000004, timestamp: 1_700_000_000_000, step: -3 },
        { key: 'lo"ss', value: 'NaN', timestamp: 2, step: 0 },
        { key: 'lo"ss', value: 'Infinity', timestamp: 3, step: 1 },
        { key: 'lo"ss', value: -1e-300, timestamp: 4, step: 2 },
      ],
      next_page_token: 'eyJvZmZzZXQiOiA0fQ==',
    };
    expect(historyPageJson(page)).toBe(JSON.stringify(expected));
    expect(historyPageJson({ key: 'x', points: [] })).toBe('{}');
  });
});

describe.each(TEST_DIALECTS)('get-history serializations agree on %s', (dialect) => {
  it('returns the same points whole and paged, including NaN, infinities and awkward doubles', async () => {
    const t = await createTestApp(dialect);
    try {
      const runId = (await t.mlflow('POST', '/runs/create', {})).json().run.info.run_id;
      const values = [0.1 + 0.2, 'NaN', 'Infinity', '-Infinity', 1e-300, -2.5, 123456789.12345679, 5e-324, 1.7976931348623157e308];
      const metrics = values.map((value, step) => ({ key: 'odd key: 1/x', value, timestamp: 10 + step, step }));
      expect((await t.mlflow('POST', '/runs/log-batch', { run_id: runId, metrics })).statusCode).toBe(200);
      const whole = await t.mlflow('GET', '/metrics/get-history', { run_id: runId, metric_key: 'odd key: 1/x' });
      expect(whole.headers['content-type']).toContain('application/json');
      const paged = await t.mlflow('GET', '/metrics/get-history', { run_id: runId, metric_key: 'odd key: 1/x', max_results: 100 });
      const expected = values.map((value, step) => ({ key: 'odd key: 1/x', value, timestamp: 10 + step, step }));
      expect(whole.json().metrics).toEqual(expected);
      expect(paged.json().metrics).toEqual(expected);
    } finally {
      await t.cleanup();
    }
  });
});
