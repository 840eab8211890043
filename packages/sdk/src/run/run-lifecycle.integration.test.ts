import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanApiError } from '../errors.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('run lifecycle against a real server', () => {
  it('creates the experiment by name, buffers logs into batches and ends the run', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'lifecycle', runName: 'first', tags: { team: 'ml' } });
    run.logParams({ lr: 0.1, epochs: 3, shuffle: true }).setTags({ stage: 'dev' });
    // Logging an identical param again is allowed by MLflow; the server would reject it within one batch.
    run.logParam('lr', 0.1);
    // 2500 points cross the 1000-metrics-per-request limit, so several log-batch requests go out.
    for (let step = 0; step < 2500; step++) run.logMetric('loss', 1 / (step + 1), { step, timestamp: 1_700_000_000_000 + step });
    run.logMetrics({ acc: 0.5, f1: 0.25 }, { step: 7 });
    const info = await run.end();

    expect(info.status).toBe('FINISHED');
    expect(Number(info.end_time)).toBeGreaterThan(0);
    const { run: fetched } = await client.getRun({ run_id: run.runId });
    expect(fetched.info.run_name).toBe('first');
    expect(fetched.info.experiment_id).toBe(run.experimentId);
    const params = Object.fromEntries((fetched.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toEqual({ lr: '0.1', epochs: '3', shuffle: 'true' });
    const tags = Object.fromEntries((fetched.data.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ team: 'ml', stage: 'dev', 'mlflow.source.type': 'LOCAL' });
    const latest = Object.fromEntries((fetched.data.metrics ?? []).map((m) => [m.key, Number(m.value)]));
    expect(latest).toEqual({ loss: 1 / 2500, acc: 0.5, f1: 0.25 });

    const history = await client.getMetricHistory({ run_id: run.runId, metric_key: 'loss' });
    expect(history.metrics).toHaveLength(2500);
    expect(history.metrics?.map((m) => Number(m.step))).toEqual(Array.from({ length: 2500 }, (_, i) => i));

    const { experiment } = await client.getExperimentByName({ experiment_name: 'lifecycle' });
    expect(experiment.experiment_id).toBe(run.experimentId);
    const again = await client.startRun({ experimentName: 'lifecycle' });
    expect(again.experimentId).toBe(run.experimentId);
    await again.end('KILLED');
  });

  it('records dataset inputs', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'inputs' });
    await run.logInputs([
      {
        dataset: { name: 'synthetic', digest: 'abc123', source_type: 'code', source: '{"generator":"gauss"}', schema: '{}', profile: '{"rows":10}' },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);
    await run.end();
    const { run: fetched } = await client.getRun({ run_id: run.runId });
    expect(fetched.inputs?.dataset_inputs).toEqual([
      {
        dataset: { name: 'synthetic', digest: 'abc123', source_type: 'code', source: '{"generator":"gauss"}', schema: '{}', profile: '{"rows":10}' },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);
  });

  it('surfaces a failed background batch with the server error code on flush', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'errors' });
    run.logParam('lr', '0.1');
    await run.flush();
    // MLflow forbids changing a logged param; the server must reject the second batch.
    run.logParam('lr', '0.2').logMetric('loss', 1);
    const error = await run.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapstanApiError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400 });
    // Ending still records the status; nothing is pending any more.
    await expect(run.end('FAILED')).resolves.toMatchObject({ status: 'FAILED' });
    expect(() => run.logMetric('loss', 2)).toThrow(/has ended/);
  });

  it('sends NaN and infinities as proto-JSON strings', async () => {
    const client = server.client();
    const run = await client.startRun({ experimentName: 'non-finite' });
    run.logMetric('nan', Number.NaN).logMetric('inf', Infinity).logMetric('ninf', -Infinity);
    await run.end();
    const history = await client.getMetricHistory({ run_id: run.runId, metric_key: 'nan' });
    expect(history.metrics?.map((m) => Number(m.value))).toEqual([Number.NaN]);
    const inf = await client.getMetricHistory({ run_id: run.runId, metric_key: 'ninf' });
    expect(inf.metrics?.map((m) => Number(m.value))).toEqual([-Infinity]);
  });
});
