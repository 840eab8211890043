import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '../errors.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { PerformanceClient } from './performance.js';

const FIXTURE = fileURLToPath(new URL('../../../../fixtures/models/serving/fraud-tabular', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

/**
 * The SDK's whole loop against a real server: log and register the tabular fraud model, deploy it,
 * predict with request ids, post labels later, and read the performance report.
 */
describe('performance through the SDK', () => {
  it('turns labels posted after the predictions into metrics', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'sdk-performance' });
    const source = await client.registry.logModel(FIXTURE, run.runId);
    await run.end();
    await client.registry.registerModel(source, 'sdk-fraud');
    await client.deployments.create({ name: 'sdk-fraud', spec: { models: [{ uri: 'models:/sdk-fraud/1' }] } });
    await client.deployments.waitUntilReady('sdk-fraud');

    const expected = JSON.parse(await readFile(`${FIXTURE}/expected.json`, 'utf8')) as { rows: { amount: number; country: string; hour: number }[]; label: number[] };
    const from = Date.now();
    for (const [i, row] of expected.rows.entries()) {
      const res = await fetch(`${server.url}/serving-endpoints/sdk-fraud/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `sdk-${i}` },
        body: JSON.stringify({ dataframe_records: [row] }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const current = { deployment: 'sdk-fraud', from, to: Date.now() + 1 };
    const performance = PerformanceClient.connect({ url: server.url, env: {} });
    const body = { current, task: 'classification' as const, prediction: 'label', scores: 'probabilities[1]' };
    // The inference log is written in the background.
    const deadline = Date.now() + 10_000;
    while ((await performance.report(body)).rows < expected.rows.length) {
      if (Date.now() > deadline) throw new Error('the inference log did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await performance.report(body)).toMatchObject({ status: 'no_labels', labelled_rows: 0, metrics: null });

    // The truth: the expected labels, except that the first row's is flipped.
    const truth = expected.label.map((l, i) => (i === 0 ? 1 - l : l));
    expect(await performance.postLabels('sdk-fraud', truth.map((label, i) => ({ request_id: `sdk-${i}`, label })))).toEqual({ stored: truth.length });
    const report = await performance.report(body);
    const n = truth.length;
    expect(report).toMatchObject({ status: 'ok', rows: n, labelled_rows: n, label_coverage: 1, classes: [0, 1], positive_label: 1 });
    expect(report.metrics).toMatchObject({ count: n, accuracy: (n - 1) / n });

    const ghost = await performance.report({ ...body, current: { ...current, deployment: 'ghost' } }).catch((err: unknown) => err);
    expect(isApiError(ghost, 'RESOURCE_DOES_NOT_EXIST')).toBe(true);
  });
});
