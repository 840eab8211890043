import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';

/**
 * The requests an MLflow 2.x/3.x Python client sends for a plain training script, in order and
 * with the bodies mlflow/store/tracking/rest_store.py and http_artifact_repo.py build:
 *
 *   mlflow.set_experiment("churn"); with mlflow.start_run(): log_param, log_metric, log_metrics,
 *   log_artifact, set_tag; then search_runs, get_metric_history, list_artifacts, download.
 */
describe.each(TEST_DIALECTS)('an MLflow client training script against %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.cleanup());

  it('runs end to end', async () => {
    // set_experiment: look up by name, create on RESOURCE_DOES_NOT_EXIST.
    const lookup = await t.mlflow('GET', '/experiments/get-by-name', { experiment_name: 'churn' });
    expect(lookup.statusCode).toBe(404);
    expect(lookup.json().error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const experimentId = (await t.mlflow('POST', '/experiments/create', { name: 'churn' })).json().experiment_id as string;

    // start_run
    const created = await t.mlflow('POST', '/runs/create', {
      experiment_id: experimentId,
      user_id: 'ana',
      start_time: 1_700_000_000_000,
      tags: [
        { key: 'mlflow.user', value: 'ana' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'mlflow.source.git.commit', value: '0123abcd' },
      ],
      run_name: 'baseline',
    });
    expect(created.statusCode).toBe(200);
    const runId = created.json().run.info.run_id as string;

    // log_param / log_metric send both the id and its deprecated alias.
    expect((await t.mlflow('POST', '/runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: '0.01' })).json()).toEqual({});
    const metric = { run_id: runId, run_uuid: runId, key: 'loss', value: 0.9, timestamp: 1_700_000_000_100, step: 0 };
    expect((await t.mlflow('POST', '/runs/log-metric', metric)).json()).toEqual({});
    // log_metrics / log_params go through log-batch.
    const batch = {
      run_id: runId,
      metrics: [1, 2, 3].map((step) => ({ key: 'loss', value: 0.9 - step / 10, timestamp: 1_700_000_000_100 + step, step })),
      params: [{ key: 'epochs', value: '3' }],
      tags: [],
    };
    expect((await t.mlflow('POST', '/runs/log-batch', batch)).json()).toEqual({});
    await t.mlflow('POST', '/runs/set-tag', { run_id: runId, run_uuid: runId, key: 'stage', value: 'dev' });

    // log_artifact: the client reads artifact_uri, then PUTs through the proxy.
    const artifactUri = (await t.mlflow('GET', '/runs/get', { run_id: runId })).json().run.info.artifact_uri as string;
    expect(artifactUri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    const proxyPath = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/reports/summary.txt`;
    const put = await t.app.inject({ method: 'PUT', url: proxyPath, payload: Buffer.from('accuracy 0.91\n'), headers: { 'content-type': 'application/octet-stream' } });
    expect(put.statusCode).toBe(200);

    // end_run
    const ended = await t.mlflow('POST', '/runs/update', { run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: 1_700_000_009_000 });
    expect(ended.json().run_info).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_009_000, run_name: 'baseline' });

    // search_runs as mlflow.search_runs() sends it.
    const search = await t.mlflow('POST', '/runs/search', {
      experiment_ids: [experimentId],
      filter: "metrics.loss < 0.7 and params.lr = '0.01' and tags.`mlflow.source.name` = 'train.py'",
      run_view_type: 'ACTIVE_ONLY',
      max_results: 1000,
      order_by: ['metrics.loss ASC'],
    });
    const found = search.json().runs as { info: { run_id: string }; data: { metrics: { key: string; value: number; step: number }[] } }[];
    expect(found.map((r) => r.info.run_id)).toEqual([runId]);
    expect(found[0]!.data.metrics).toEqual([{ key: 'loss', value: 0.9 - 3 / 10, timestamp: 1_700_000_000_103, step: 3 }]);

    // get_metric_history pages with max_results and page_token.
    const history = await t.mlflow('GET', '/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 25000 });
    expect(history.json().metrics.map((m: { step: number }) => m.step)).toEqual([0, 1, 2, 3]);

    // list_artifacts and download.
    const listed = await t.mlflow('GET', '/artifacts/list', { run_id: runId, path: 'reports' });
    expect(listed.json()).toMatchObject({ root_uri: artifactUri, files: [{ path: 'reports/summary.txt', is_dir: false, file_size: 14 }] });
    const download = await t.app.inject({ method: 'GET', url: proxyPath });
    expect(download.body).toBe('accuracy 0.91\n');
  });
});
