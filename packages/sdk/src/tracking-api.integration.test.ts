import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapstanApiError, CapstanNetworkError } from './errors.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('tracking RPCs against a real server', () => {
  it('manages experiments: create, tag, rename, delete, restore', async () => {
    const client = server.client();
    const { experiment_id: id } = await client.createExperiment({ name: 'crud', tags: [{ key: 'a', value: '1' }] });
    await client.setExperimentTag({ experiment_id: id, key: 'b', value: '2' });
    await client.deleteExperimentTag({ experiment_id: id, key: 'a' });
    await client.updateExperiment({ experiment_id: id, new_name: 'crud-renamed' });
    const { experiment } = await client.getExperiment({ experiment_id: id });
    expect(experiment).toMatchObject({ experiment_id: id, name: 'crud-renamed', lifecycle_stage: 'active' });
    expect(experiment.tags).toEqual([{ key: 'b', value: '2' }]);

    await client.deleteExperiment({ experiment_id: id });
    const deleted = await client.searchExperiments({ view_type: 'DELETED_ONLY' });
    expect(deleted.experiments?.map((e) => e.experiment_id)).toContain(id);
    await client.restoreExperiment({ experiment_id: id });
    expect((await client.getExperiment({ experiment_id: id })).experiment.lifecycle_stage).toBe('active');

    const dup = await client.createExperiment({ name: 'crud-renamed' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(CapstanApiError);
    expect(dup).toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS', status: 400 });
  });

  it('manages runs with the single-value RPCs', async () => {
    const client = server.client();
    const { experiment_id } = await client.createExperiment({ name: 'single-rpcs' });
    const { run } = await client.createRun({ experiment_id, run_name: 'r', start_time: 1000 });
    const run_id = run.info.run_id;
    expect(run.info).toMatchObject({ status: 'RUNNING', lifecycle_stage: 'active', experiment_id });

    await client.logParam({ run_id, key: 'p', value: 'v' });
    await client.logMetric({ run_id, key: 'm', value: 1.5, timestamp: 2000, step: 3 });
    await client.setTag({ run_id, key: 't', value: 'x' });
    await client.setTag({ run_id, key: 'gone', value: 'y' });
    await client.deleteTag({ run_id, key: 'gone' });
    const { run_info } = await client.updateRun({ run_id, status: 'FINISHED', end_time: 3000, run_name: 'renamed' });
    expect(run_info).toMatchObject({ status: 'FINISHED', run_name: 'renamed' });
    expect(Number(run_info.end_time)).toBe(3000);

    const fetched = (await client.getRun({ run_id })).run;
    expect(fetched.data.params).toEqual([{ key: 'p', value: 'v' }]);
    expect(fetched.data.metrics).toEqual([expect.objectContaining({ key: 'm', value: 1.5 })]);
    const tagKeys = (fetched.data.tags ?? []).map((t) => t.key);
    expect(tagKeys).toContain('t');
    expect(tagKeys).not.toContain('gone');

    await client.deleteRun({ run_id });
    expect((await client.getRun({ run_id })).run.info.lifecycle_stage).toBe('deleted');
    expect((await client.searchRuns({ experiment_ids: [experiment_id] })).runs ?? []).toHaveLength(0);
    await client.restoreRun({ run_id });
    expect((await client.searchRuns({ experiment_ids: [experiment_id] })).runs).toHaveLength(1);
  });

  it('reads metric history in bulk with repeated run_ids query keys', async () => {
    const client = server.client();
    const { experiment_id } = await client.createExperiment({ name: 'bulk' });
    const ids: string[] = [];
    for (let r = 0; r < 2; r++) {
      const { run } = await client.createRun({ experiment_id });
      ids.push(run.info.run_id);
      await client.logBatch({
        run_id: run.info.run_id,
        metrics: Array.from({ length: 5 }, (_, step) => ({ key: 'loss', value: r + step, timestamp: 1000 + step, step })),
      });
    }
    const { metrics } = await client.getMetricHistoryBulkInterval({ run_ids: ids, metric_key: 'loss', max_results: 100 });
    expect(new Set(metrics?.map((m) => m.run_id))).toEqual(new Set(ids));
    expect(metrics).toHaveLength(10);
  });

  it('manages logged models', async () => {
    const client = server.client();
    const { experiment_id } = await client.createExperiment({ name: 'models' });
    const { model } = await client.createLoggedModel({
      experiment_id,
      name: 'clf',
      model_type: 'Classifier',
      params: [{ key: 'alpha', value: '0.1' }],
      tags: [{ key: 'stage', value: 'dev' }],
    });
    const model_id = model.info.model_id;
    expect(model.info).toMatchObject({ experiment_id, name: 'clf', status: 'LOGGED_MODEL_PENDING' });

    await client.logLoggedModelParams({ model_id, params: [{ key: 'beta', value: '2' }] });
    await client.setLoggedModelTags({ model_id, tags: [{ key: 'owner', value: 'me' }] });
    await client.deleteLoggedModelTag({ model_id, tag_key: 'stage' });
    const finalized = await client.finalizeLoggedModel({ model_id, status: 'LOGGED_MODEL_READY' });
    expect(finalized.model.info.status).toBe('LOGGED_MODEL_READY');

    const { model: got } = await client.getLoggedModel({ model_id });
    expect(got.info.tags).toEqual([{ key: 'owner', value: 'me' }]);
    expect(got.data?.params?.map((p) => p.key).sort()).toEqual(['alpha', 'beta']);

    const found = await client.searchLoggedModels({ experiment_ids: [experiment_id], filter: "name = 'clf'" });
    expect(found.models?.map((m) => m.info.model_id)).toEqual([model_id]);

    await client.deleteLoggedModel({ model_id });
    await expect(client.getLoggedModel({ model_id })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
  });

  it('maps server errors to CapstanApiError with the MLflow code', async () => {
    const client = server.client();
    const error = await client.getRun({ run_id: '0'.repeat(32) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapstanApiError);
    expect(error).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
  });

  it('reports an unreachable server as a network error', async () => {
    const client = server.client({ url: 'http://127.0.0.1:9', retries: 0 });
    await expect(client.searchExperiments()).rejects.toBeInstanceOf(CapstanNetworkError);
  });
});
