import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';
import { detectColumnDrift } from '../drift/index.js';
import { prefersHtml } from './accept.js';

const URL = '/api/capstan/v1/monitoring/drift/report';
const EVIL = '<script>alert(1)</script>';

const reference = {
  age: Array.from({ length: 60 }, (_, i) => 20 + (i % 30)),
  plan: Array.from({ length: 60 }, (_, i) => ['free', 'pro', 'team'][i % 3]!),
  [EVIL]: Array.from({ length: 60 }, (_, i) => (i % 10) + 0.5),
  silent: Array.from({ length: 60 }, () => null),
};
const current = {
  age: Array.from({ length: 40 }, (_, i) => 35 + (i % 30)),
  plan: Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'pro' : 'free')),
  [EVIL]: Array.from({ length: 40 }, (_, i) => (i % 10) + 0.5),
  silent: Array.from({ length: 40 }, (_, i) => i),
};

/** The report API over inline columns, in both of its answers, and its refusals in the API's error shape. */
describe('POST /monitoring/drift/report', () => {
  let t: TestApp;
  const post = (payload: unknown, headers: Record<string, string> = {}, query = '') =>
    t.app.inject({ method: 'POST', url: `${URL}${query}`, payload: payload as object, headers });

  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.cleanup());

  it("answers Evidently's JSON by default, with the drift request's options applied", async () => {
    const res = await post({ reference: { columns: reference }, current: { columns: current }, per_column_stattest: { age: 'wasserstein' }, drift_share: 0.6 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.vary).toMatch(/accept/i);
    const doc = res.json();
    expect(doc.metrics.map((m: { metric: string }) => m.metric)).toEqual(['DatasetDriftMetric', 'DataDriftTable']);
    // age and plan drift, the third column does not: 2 of 3, which is >= 0.6.
    expect(doc.metrics[0].result).toEqual({ drift_share: 0.6, number_of_columns: 3, number_of_drifted_columns: 2, share_of_drifted_columns: 2 / 3, dataset_drift: true });
    const age = doc.metrics[1].result.drift_by_columns.age;
    const expected = detectColumnDrift(reference.age, current.age, { stattest: 'wasserstein' });
    expect(age).toMatchObject({ column_name: 'age', column_type: 'num', stattest_name: 'Wasserstein distance (normed)', stattest_threshold: 0.1, drift_score: expected.score, drift_detected: true });
    expect(age.reference.small_distribution.x).toEqual(age.current.small_distribution.x);
    expect(doc.capstan).toEqual({
      title: 'Data drift report',
      reference_rows: 60,
      current_rows: 40,
      skipped_columns: [{ column: 'silent', reason: "An empty column 'silent' was provided for drift calculation in the reference dataset." }],
    });
    expect(Date.parse(doc.timestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers one self-contained HTML page to a client that prefers text/html, every name escaped', async () => {
    const res = await post({ reference: { columns: reference }, current: { columns: current } }, { accept: 'text/html' }, `?title=${encodeURIComponent('Weekly <check>')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.body.startsWith('<!doctype html>')).toBe(true);
    expect(res.body).toContain('<title>Weekly &lt;check&gt;</title>');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(res.body).toContain('<dd data-summary="drifted-columns">2</dd>');
    // A browser's Accept header gets the page too; a JSON client, and anyone sending */*, gets JSON.
    const browser = await post({ reference: { columns: reference }, current: { columns: current } }, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(browser.headers['content-type']).toMatch(/^text\/html/);
    const any = await post({ reference: { columns: reference }, current: { columns: current } }, { accept: '*/*' });
    expect(any.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses an empty side, unknown options and a bad title with 400 in the API error shape, even to an HTML client', async () => {
    const emptySide = await post({ reference: { columns: {} }, current: { columns: current } }, { accept: 'text/html' });
    expect(emptySide.statusCode).toBe(400);
    expect(emptySide.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'There are no columns to compare.' });
    const noRows = await post({ reference: { columns: { age: [] } }, current: { columns: { age: [1, 2] } } });
    expect(noRows.statusCode).toBe(400);
    expect(noRows.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'There are no columns to compare: every column is empty on one side (age).' });
    const typo = await post({ reference: { columns: reference }, current: { columns: current }, stat_test: 'ks' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().message).toMatch(/^Invalid drift report request: .*stat_test/);
    const missing = await post({ reference: { columns: reference } });
    expect(missing.json().message).toBe('Invalid drift report request: current: required');
    const unfit = await post({ reference: { columns: reference }, current: { columns: current }, per_column_stattest: { plan: 'ks' } });
    expect(unfit.statusCode).toBe(400);
    expect(unfit.json().message).toBe("Stattest ks isn't applicable to feature of type cat. Available feature types: num");
    const longTitle = await post({ reference: { columns: reference }, current: { columns: current } }, {}, `?title=${'x'.repeat(201)}`);
    expect(longTitle.statusCode).toBe(400);
    expect(longTitle.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it("reads a deployment's window through the drift route's source resolution: an unknown deployment is 404", async () => {
    const res = await post({ reference: { deployment: 'ghost', from: 0, to: 5 }, current: { columns: current } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Deployment 'ghost' not found" });
  });
});

describe('Accept negotiation', () => {
  it('prefers HTML only when the client ranks text/html above application/json', () => {
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('text/*')).toBe(true);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('application/json;q=0.4, text/html;q=0.5')).toBe(true);
    expect(prefersHtml('text/html;q=0, */*')).toBe(false);
    expect(prefersHtml('TEXT/HTML; charset=utf-8')).toBe(true);
  });
});
