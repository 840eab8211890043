import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '../errors.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { CapstanClient } from '../client.js';

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
describe('monitoring through the SDK', () => {
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
    const { performance } = new CapstanClient({ url: server.url, env: {} }).monitoring;
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

  it('manages a monitor of the deployment and reads its runs', async () => {
    const { monitors } = server.client().monitoring;
    const manifest = {
      name: 'sdk-fraud-drift',
      deployment: 'sdk-fraud',
      reference: { type: 'window' as const, from: 0, to: Date.now() },
      window_seconds: 3600,
      interval_seconds: 3600,
      min_rows: 1,
      checks: { data_drift: {} },
    };
    expect((await monitors.create(manifest)).monitor).toMatchObject({ name: 'sdk-fraud-drift', enabled: true, alerts: [] });
    expect((await monitors.apply({ ...manifest, description: 'inputs vs. all earlier traffic' })).outcome).toBe('updated');
    expect((await monitors.list({ deployment: 'sdk-fraud' })).monitors.map((m) => m.description)).toEqual(['inputs vs. all earlier traffic']);

    const { run } = await monitors.run('sdk-fraud-drift');
    expect(run).toMatchObject({ monitor: 'sdk-fraud-drift', checks: { data_drift: 'SUCCESS' } });
    expect((await monitors.getRun('sdk-fraud-drift', run.run_id)).run.results[0]!.drift!.number_of_columns).toBe(3);
    expect((await monitors.runs('sdk-fraud-drift', { limit: 1 })).runs.map((r) => r.run_id)).toEqual([run.run_id]);
    expect((await monitors.alerts('sdk-fraud-drift')).deliveries).toEqual([]);

    await monitors.delete('sdk-fraud-drift');
    const gone = await monitors.get('sdk-fraud-drift').catch((err: unknown) => err);
    expect(isApiError(gone, 'RESOURCE_DOES_NOT_EXIST')).toBe(true);
  });
});
