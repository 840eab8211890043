import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../../app/test-support/test-app.js';

interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

describe.each(TEST_DIALECTS)('MLflow runs API on %s', (dialect) => {
  let t: TestApp;
  let experimentId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'runs' })).json().experiment_id;
  });
  afterAll(async () => t.cleanup());

  async function createRun(body: Record<string, unknown> = {}) {
    const res = await t.mlflow('POST', '/runs/create', { experiment_id: experimentId, start_time: 1000, ...body });
    expect(res.statusCode).toBe(200);
    return res.json().run as { info: Record<string, unknown>; data: Record<string, unknown> };
  }

  it('creates a run the way the MLflow client does and reads it back', async () => {
    const run = await createRun({ user_id: 'ana', tags: [{ key: 'mlflow.user', value: 'ana' }, { key: 'mlflow.source.name', value: 'train.py' }] });
    const runId = run.info.run_id as string;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toMatchObject({
      run_uuid: runId,
      experiment_id: experimentId,
      user_id: 'ana',
      status: 'RUNNING',
      start_time: 1000,
      lifecycle_stage: 'active',
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
    });
    expect(run.info.end_time).toBeUndefined();
    const generatedName = run.info.run_name as string;
    expect(generatedName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: generatedName });

    const got = await t.mlflow('GET', '/runs/get', { run_id: runId });
    expect(got.json().run.info).toEqual(run.info);
    const legacy = await t.mlflow('GET', '/runs/get', { run_uuid: runId });
    expect(legacy.json().run.info.run_id).toBe(runId);
  });

  it('defaults to experiment 0 and keeps run_name and the mlflow.runName tag in sync', async () => {
    const res = await t.mlflow('POST', '/runs/create', { run_name: 'first' });
    const run = res.json().run;
    expect(run.info.experiment_id).toBe('0');
    const runId = run.info.run_id;

    await t.mlflow('POST', '/runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'renamed' });
    expect((await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.info.run_name).toBe('renamed');

    const updated = await t.mlflow('POST', '/runs/update', { run_id: runId, run_name: 'final', status: 'FINISHED', end_time: 5000 });
    expect(updated.json().run_info).toMatchObject({ run_name: 'final', status: 'FINISHED', end_time: 5000 });
    const tags = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data.tags;
    expect(tags).toContainEqual({ key: 'mlflow.runName', value: 'final' });

    const clash = await t.mlflow('POST', '/runs/create', { run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] });
    expect(clash.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('logs metrics, params and tags and returns the latest metric by (step, timestamp, value)', async () => {
    const runId = (await createRun()).info.run_id as string;
    const log = (key: string, value: unknown, timestamp: number, step?: number) =>
      t.mlflow('POST', '/runs/log-metric', { run_id: runId, key, value, timestamp, ...(step === undefined ? {} : { step }) });
    expect((await log('loss', 0.9, 100, 0)).json()).toEqual({});
    await log('loss', 0.5, 50, 2); // later step wins despite the older timestamp
    await log('loss', 0.7, 200, 1);
    await log('acc', 0.5, 10, 3);
    await log('acc', 0.8, 10, 3); // same step and timestamp: the larger value wins
    await log('acc', '0.1', 9, 3);
    await log('odd', 'NaN', 1, 0);
    await log('big', 'Infinity', 1, 0);
    await log('neg', '-Infinity', 1, 0);
    await t.mlflow('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
    await t.mlflow('POST', '/runs/log-parameter', { run_uuid: runId, key: 'lr', value: '0.1' }); // same value: fine
    await t.mlflow('POST', '/runs/set-tag', { run_id: runId, key: 'stage', value: 'dev' });
    await t.mlflow('POST', '/runs/set-tag', { run_id: runId, key: 'stage', value: 'prod' });

    const data = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data;
    const latest = Object.fromEntries((data.metrics as WireMetric[]).map((m) => [m.key, [m.value, m.step, m.timestamp]]));
    expect(latest).toEqual({ loss: [0.5, 2, 50], acc: [0.8, 3, 10], odd: ['NaN', 0, 1], big: ['Infinity', 0, 1], neg: ['-Infinity', 0, 1] });
    expect(data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(data.tags).toContainEqual({ key: 'stage', value: 'prod' });

    const changed = await t.mlflow('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(changed.json().message).toContain('Changing param values is not allowed');

    await t.mlflow('POST', '/runs/delete-tag', { run_id: runId, key: 'stage' });
    const afterDelete = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data.tags as { key: string }[];
    expect(afterDelete.map((x) => x.key)).not.toContain('stage');
    expect((await t.mlflow('POST', '/runs/delete-tag', { run_id: runId, key: 'stage' })).statusCode).toBe(404);
  });

  it('log-batch writes everything, and a rejected batch writes nothing', async () => {
    const runId = (await createRun()).info.run_id as string;
    const metrics = Array.from({ length: 998 }, (_, i) => ({ key: `m${i % 10}`, value: i, timestamp: 1000 + i, step: i }));
    const ok = await t.mlflow('POST', '/runs/log-batch', {
      run_id: runId,
      metrics,
      params: [{ key: 'depth', value: '3' }],
      tags: [{ key: 'mlflow.runName', value: 'batched' }],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({});
    const run = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run;
    expect(run.info.run_name).toBe('batched');
    expect(run.data.metrics).toHaveLength(10);
    expect((run.data.metrics as WireMetric[]).find((m) => m.key === "m7")).toMatchObject({ value: 997, step: 997 });

    // A valid metric together with a param that conflicts with the stored one: nothing lands.
    const rejected = await t.mlflow('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'new_metric', value: 1, timestamp: 1, step: 0 }],
      params: [{ key: 'depth', value: '4' }],
      tags: [{ key: 'new_tag', value: 'x' }],
    });
    expect(rejected.statusCode).toBe(400);
    const after = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run;
    expect((after.data.metrics as WireMetric[]).map((m) => m.key)).not.toContain('new_metric');
    expect((after.data.tags as { key: string }[]).map((x) => x.key)).not.toContain('new_tag');

    const limits: [Record<string, unknown>, string][] = [
      [{ metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'k', value: 1, timestamp: i })) }, 'at most 1000 metrics'],
      [{ params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })) }, 'at most 100 params'],
      [{ tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: 'v' })) }, 'at most 100 tags'],
      [{ params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }] }, 'Duplicate parameter keys'],
      [{ params: [{ key: 'p', value: 'x'.repeat(6001) }] }, 'exceeded length limit of 6000'],
      [{ metrics: [{ key: '../escape', value: 1, timestamp: 1 }] }, 'Invalid metric name'],
      [{ metrics: [{ key: 'bad', value: 'abc', timestamp: 1 }] }, 'Got invalid value abc'],
      [{ metrics: [{ key: 'bad', value: 1 }] }, "Missing value for required parameter 'timestamp'"],
      [{ metrics: [{ key: 'bad', value: 1, timestamp: -5 }] }, 'Got invalid timestamp -5'],
    ];
    for (const [body, message] of limits) {
      const res = await t.mlflow('POST', '/runs/log-batch', { run_id: runId, ...body });
      expect(res.statusCode, message).toBe(400);
      expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.json().message).toContain(message);
    }
  });

  it('log-batch applies repeated tag keys in order: the last value wins', async () => {
    const runId = (await createRun()).info.run_id as string;
    const tags = [
      { key: 'phase', value: 'a' },
      { key: 'other', value: 'x' },
      { key: 'phase', value: 'b' },
    ];
    expect((await t.mlflow('POST', '/runs/log-batch', { run_id: runId, tags })).statusCode).toBe(200);
    const stored = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data.tags as { key: string; value: string }[];
    expect(stored.filter((x) => x.key !== 'mlflow.runName')).toEqual([
      { key: 'other', value: 'x' },
      { key: 'phase', value: 'b' },
    ]);
  });

  it('accepts int64 as strings and ignores unknown fields', async () => {
    const res = await t.mlflow('POST', '/runs/create', { experiment_id: experimentId, start_time: '1700000000000', surprise: { a: 1 } });
    expect(res.json().run.info.start_time).toBe(1_700_000_000_000);
    const runId = res.json().run.info.run_id;
    const logged = await t.mlflow('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: '5', step: '7', extra: true });
    expect(logged.statusCode).toBe(200);
    const metric = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.data.metrics[0];
    expect(metric).toEqual({ key: 'x', value: 1, timestamp: 5, step: 7 });
  });

  it('deletes and restores runs, and refuses writes to a deleted run', async () => {
    const runId = (await createRun()).info.run_id as string;
    expect((await t.mlflow('POST', '/runs/delete', { run_id: runId })).json()).toEqual({});
    expect((await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.info.lifecycle_stage).toBe('deleted');
    const write = await t.mlflow('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 });
    expect(write.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(write.json().message).toContain("must be in the 'active' state");
    await t.mlflow('POST', '/runs/restore', { run_id: runId });
    expect((await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.info.lifecycle_stage).toBe('active');
  });

  it('logs dataset inputs with digest, source, schema, profile and context tag', async () => {
    const runId = (await createRun()).info.run_id as string;
    const dataset = {
      name: 'iris',
      digest: 'abc123',
      source_type: 'local',
      source: '{"uri": "/data/iris.csv"}',
      schema: '{"mlflow_colspec": []}',
      profile: '{"num_rows": 150}',
    };
    const body = { run_id: runId, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }] };
    expect((await t.mlflow('POST', '/runs/log-inputs', body)).json()).toEqual({});
    expect((await t.mlflow('POST', '/runs/log-inputs', body)).statusCode).toBe(200); // idempotent
    const inputs = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.inputs;
    expect(inputs.dataset_inputs).toEqual([{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }]);

    const bad = await t.mlflow('POST', '/runs/log-inputs', { run_id: runId, datasets: [{ dataset: { ...dataset, digest: 'x'.repeat(37) } }] });
    expect(bad.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('returns MLflow errors for unknown runs and missing fields', async () => {
    const unknown = await t.mlflow('GET', '/runs/get', { run_id: 'f'.repeat(32) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` });
    const noId = await t.mlflow('GET', '/runs/get', {});
    expect(noId.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    const noExperiment = await t.mlflow('POST', '/runs/create', { experiment_id: '424242' });
    expect(noExperiment.statusCode).toBe(404);
    const badStatus = await t.mlflow('POST', '/runs/update', { run_id: (await createRun()).info.run_id, status: 'DONE' });
    expect(badStatus.statusCode).toBe(400);
  });
});
