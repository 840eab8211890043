import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorAlertPayload, MonitorRun } from '@capstan/contracts';
import { TEST_DIALECTS } from '../../adapters/sql/test-support/test-databases.js';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { MONITORING_DEFAULTS } from '../../core/config.js';
import { verifyDelivery } from '../../core/webhooks/signing.js';
import { webhookReceiver, type WebhookReceiver } from '../../core/webhooks/test-support/webhook-receiver.js';
import { expectedPredictions, publishModel } from '../serving/test-support/publish-model.js';

const API = '/api/capstan/v1';
const SECRET = 'monitor-alert-secret-0123456789';
const REQUESTS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CSV text as Parquet bytes, written by DuckDB (what pandas' to_parquet would give for the same table). */
async function csvToParquet(csv: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-parquet-'));
  try {
    await writeFile(join(dir, 'in.csv'), csv);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${join(dir, 'in.csv')}')) TO '${join(dir, 'out.parquet')}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    return await readFile(join(dir, 'out.parquet'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A monitor on a live deployment: the reference is a pinned window of normal traffic, the current
 * window the last second. Shifted traffic makes the scheduled run fail its drift check and alert a
 * signed webhook and a Slack channel once; a second failing run is de-duplicated; normal traffic
 * again recovers it with one notice each.
 */
describe.each(TEST_DIALECTS)('monitors on %s', (dialect) => {
  let t: TestApp;
  let rows: number[][];
  let hook: WebhookReceiver;
  let slack: WebhookReceiver;
  let reference: { from: number; to: number };

  const infer = async (shift: number) => {
    for (let i = 0; i < REQUESTS; i++) {
      const row = rows[i % rows.length]!.map((x) => x + shift + (i % 5) * 0.01);
      const res = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: row }] } });
      expect(res.statusCode, res.body).toBe(200);
    }
  };
  /** The log is written in the background: wait until it holds `count` records. */
  const logged = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while ((await t.app.inject({ method: 'GET', url: `${API}/deployments/fraud/inference-log?limit=1000` })).json().records.length < count) {
      if (Date.now() > deadline) throw new Error('the inference log did not catch up');
      await sleep(20);
    }
  };
  const manifest = (overrides: Record<string, unknown> = {}) => ({
    name: 'fraud-drift',
    deployment: 'fraud',
    reference: { type: 'window', ...reference },
    window_seconds: 1,
    interval_seconds: 3600,
    checks: { data_drift: {}, data_quality: { checks: ['missing_share', 'out_of_range'] } },
    alerts: [
      { type: 'webhook', url: hook.url, secret: SECRET },
      { type: 'slack', url: slack.url },
    ],
    ...overrides,
  });
  const runNow = async (): Promise<MonitorRun> => {
    const res = await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors/fraud-drift/run` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().run as MonitorRun;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { monitoring: { ...MONITORING_DEFAULTS, schedulerEnabled: false, maxWindowRows: 10_000 } });
    hook = await webhookReceiver();
    slack = await webhookReceiver();
    await publishModel(t, 'serving/logreg-30', 'fraud');
    const created = await t.app.inject({ method: 'PUT', url: `${API}/deployments/fraud`, payload: { name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }] } } });
    expect(created.statusCode, created.body).toBeLessThan(300);
    await t.serving.settle();
    rows = (await expectedPredictions('serving/logreg-30')).rows as number[][];
    const from = Date.now();
    await infer(0);
    reference = { from, to: Date.now() + 1 };
    await logged(REQUESTS);
  });
  afterAll(async () => {
    await t?.cleanup();
    await hook?.close();
    await slack?.close();
  });

  it('refuses a malformed monitor with the field that is wrong, and an unknown deployment with 404', async () => {
    const post = (payload: object) => t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors`, payload });
    const cases: [object, string][] = [
      [{ ...manifest(), window_seconds: 0 }, 'window_seconds'],
      [{ ...manifest(), checks: {} }, 'checks'],
      [{ ...manifest(), checks: { data_drift: { stattest: 'nope' } } }, 'checks.data_drift.stattest'],
      [{ ...manifest(), alerts: [{ type: 'webhook', url: hook.url, secret: 'short' }] }, 'alerts.0.secret'],
      [{ ...manifest(), alerts: [{ type: 'slack', url: 'file:///etc/passwd' }] }, 'alerts.0.url'],
      [{ ...manifest(), reference: { type: 'window', from: 10, to: 5 } }, 'reference'],
      [{ ...manifest(), checks: { prediction_drift: {} }, reference: { type: 'training_dataset' } }, 'checks.prediction_drift'],
      [{ ...manifest(), extra: true }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(res.json().message).toContain(`${field}:`);
    }
    const unknown = await post({ ...manifest(), deployment: 'nope' });
    expect(unknown.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors` })).json().monitors).toEqual([]);
  });

  it('runs on schedule, fails on shifted traffic and alerts each channel once', async () => {
    const created = await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors`, payload: manifest() });
    expect(created.statusCode, created.body).toBe(201);
    const monitor = created.json().monitor;
    expect(monitor).toMatchObject({ name: 'fraud-drift', deployment: 'fraud', enabled: true, min_rows: 30, alerts: [{ type: 'webhook', url: hook.url }, { type: 'slack', url: slack.url }] });
    expect(JSON.stringify(monitor)).not.toContain(SECRET);
    const duplicate = await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors`, payload: manifest() });
    expect(duplicate.statusCode, duplicate.body).toBe(400);
    expect(duplicate.json()).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: "Monitor 'fraud-drift' already exists" });

    // Normal traffic left the current window a second ago; now every feature moves by 5.
    await sleep(1100);
    await infer(5);
    await logged(2 * REQUESTS);
    await t.monitoring.tick();
    await t.monitoring.alertsIdle();

    const runs = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs` })).json().runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'alert', reference_rows: REQUESTS, current_rows: REQUESTS, checks: { data_drift: 'FAIL' } });
    const run = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs/${runs[0].run_id}` })).json().run as MonitorRun;
    const drift = run.results.find((r) => r.check === 'data_drift')!;
    expect(drift.drift).toMatchObject({ number_of_columns: 30, number_of_drifted_columns: 30, dataset_drift: true });
    expect(drift.drift!.columns[0]).toMatchObject({ column_name: 'input[0]', stattest: 'ks', stattest_name: 'K-S p_value', stattest_threshold: 0.05, drift_detected: true });
    expect(drift.message).toMatch(/^Dataset drift in the inputs: 30 of 30 columns drifted/);
    const quality = run.results.find((r) => r.check === 'data_quality')!;
    expect(quality.status).toBe('FAIL');
    expect(quality.quality!.some((q) => q.status === 'FAIL' && q.message.length > 0)).toBe(true);

    // The scheduled slot moved on: another tick runs nothing.
    await t.monitoring.tick();
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs` })).json().runs).toHaveLength(1);

    // One firing alert per failing check and channel, the generic one signed.
    expect(hook.got).toHaveLength(2);
    const payloads = hook.got.map((d) => JSON.parse(d.body) as MonitorAlertPayload);
    expect(payloads.map((p) => p.check).sort()).toEqual(['data_drift', 'data_quality']);
    const driftAlert = payloads.find((p) => p.check === 'data_drift')!;
    expect(driftAlert).toMatchObject({ event: 'monitor.alert.firing', monitor: 'fraud-drift', deployment: 'fraud', status: 'FAIL', run_id: run.run_id });
    expect(driftAlert.drifted_columns).toHaveLength(30);
    for (const d of hook.got) {
      expect(d.headers['x-capstan-event']).toBe('monitor.alert.firing');
      expect(verifyDelivery(SECRET, Number(d.headers['x-capstan-timestamp']), d.body, String(d.headers['x-capstan-signature']))).toBe(true);
    }
    expect(slack.got).toHaveLength(2);
    const message = JSON.parse(slack.got[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(message.text).toMatch(/failing on deployment fraud \(monitor fraud-drift\)/);
    expect(message.blocks.map((b) => b.type)).toContain('section');
    expect(slack.got[0]!.headers['x-capstan-signature']).toBeUndefined();

    const deliveries = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/alerts` })).json().deliveries;
    expect(deliveries).toHaveLength(4);
    expect(deliveries.every((d: { status: string; attempts: number }) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
    expect(JSON.stringify(deliveries)).not.toContain(SECRET);
  });

  it('does not alert again while the check keeps failing, and sends one recovery notice', async () => {
    const again = await runNow();
    expect(again).toMatchObject({ status: 'alert', trigger: 'api' });
    await t.monitoring.alertsIdle();
    expect(hook.got).toHaveLength(2);

    await sleep(1100);
    await infer(0);
    await logged(3 * REQUESTS);
    const recovered = await runNow();
    expect(recovered).toMatchObject({ status: 'ok', checks: { data_drift: 'SUCCESS', data_quality: 'SUCCESS' } });
    await t.monitoring.alertsIdle();
    expect(hook.got).toHaveLength(4);
    const resolved = hook.got.slice(2).map((d) => JSON.parse(d.body) as MonitorAlertPayload);
    expect(resolved.map((p) => [p.event, p.check]).sort()).toEqual([
      ['monitor.alert.resolved', 'data_drift'],
      ['monitor.alert.resolved', 'data_quality'],
    ]);
    expect(JSON.parse(slack.got[2]!.body).text).toMatch(/recovered on deployment fraud/);
  });

  it('exports the latest results as Prometheus gauges', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/capstan_monitor_check_status\{monitor="fraud-drift",deployment="fraud",check="data_drift",status="SUCCESS"\} 1/);
    expect(text).toMatch(/capstan_monitor_check_status\{monitor="fraud-drift",deployment="fraud",check="data_drift",status="FAIL"\} 0/);
    expect(text).toMatch(/capstan_monitor_dataset_drift\{monitor="fraud-drift",deployment="fraud",check="data_drift"\} 0/);
    expect(text).toMatch(/capstan_monitor_drift_score\{monitor="fraud-drift",deployment="fraud",check="data_drift",column="input\[0\]",stattest="ks"\} [\d.]+/);
    expect(text).toMatch(/capstan_monitor_window_rows\{monitor="fraud-drift",deployment="fraud"\} 40/);
    expect(text).toMatch(/capstan_monitor_runs_total\{monitor="fraud-drift",status="alert"\} 2/);
  });

  it('skips a window with too few rows instead of judging it, and leaves the alert state alone', async () => {
    await sleep(1100);
    const run = await runNow();
    expect(run).toMatchObject({ status: 'skipped', current_rows: 0, checks: { data_drift: 'SKIPPED', data_quality: 'SKIPPED' } });
    expect(run.message).toBe('The current window holds 0 logged rows; the monitor needs at least 30.');
    await t.monitoring.alertsIdle();
    expect(hook.got).toHaveLength(4);
  });

  it('pages runs newest first and refuses a bad page token', async () => {
    const first = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs?limit=2` })).json();
    expect(first.runs.map((r: MonitorRun) => r.status)).toEqual(['skipped', 'ok']);
    const second = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs?limit=2&page_token=${first.next_page_token}` })).json();
    expect(second.runs.map((r: MonitorRun) => r.status)).toEqual(['alert', 'alert']);
    expect(second.next_page_token).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs?page_token=zzz` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs?limit=0` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs/nope` })).statusCode).toBe(404);
  });

  it('replaces a monitor with PUT, keeps its runs, and deletes it with them', async () => {
    const replaced = await t.app.inject({ method: 'PUT', url: `${API}/monitoring/monitors/fraud-drift`, payload: manifest({ enabled: false, alerts: [] }) });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ outcome: 'updated', monitor: { enabled: false, alerts: [] } });
    expect((await t.app.inject({ method: 'PUT', url: `${API}/monitoring/monitors/other`, payload: manifest() })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors?deployment=fraud` })).json().monitors).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs` })).json().runs).toHaveLength(4);

    expect((await t.app.inject({ method: 'DELETE', url: `${API}/monitoring/monitors/fraud-drift` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-drift/runs` })).statusCode).toBe(404);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toMatch(/capstan_monitor_check_status\{monitor="fraud-drift"/);
  });

  it('records an error run, with the reason, when the training dataset cannot be found', async () => {
    const created = await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors`, payload: manifest({ name: 'skew', reference: { type: 'training_dataset' }, alerts: [] }) });
    expect(created.statusCode, created.body).toBe(201);
    const run = (await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors/skew/run` })).json().run as MonitorRun;
    expect(run.status).toBe('error');
    expect(run.message).toMatch(/^The monitor could not read its data: run \w+ of version 1 of model 'fraud' logged no dataset with context 'training'/);
    expect(run.results.every((r) => r.status === 'ERROR')).toBe(true);
  });

  it('compares serving inputs with the training dataset logged with the served version', async () => {
    const version = (await t.mlflow('GET', '/model-versions/get', { name: 'fraud', version: '1' })).json().model_version;
    const run = (await t.mlflow('GET', '/runs/get', { run_id: version.run_id })).json().run.info;
    const logInput = (uri: string) =>
      t.mlflow('POST', '/runs/log-inputs', {
        run_id: run.run_id,
        datasets: [{ dataset: { name: 'train', digest: uri.slice(-8), source_type: 'local', source: JSON.stringify({ uri }) }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
      });
    const runSkew = async () => (await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors/skew/run` })).json().run as MonitorRun;

    // A source outside the run's artifacts is never read.
    expect((await logInput('/etc/passwd')).statusCode).toBe(200);
    expect((await runSkew()).message).toMatch(/has source '\/etc\/passwd', which is not in the run's artifacts/);

    // A source inside them is read once the file is there.
    expect((await logInput(`runs:/${run.run_id}/data/train.csv`)).statusCode).toBe(200);
    const header = Array.from({ length: 30 }, (_, i) => `input[${i}]`).join(',');
    // The same rows as the reference traffic, rounded to float32 as the FP32 input tensor logged them.
    const csv = [header, ...Array.from({ length: REQUESTS }, (_, i) => rows[i % rows.length]!.map((x) => Math.fround(x + (i % 5) * 0.01)).join(','))].join('\n');
    const missing = await runSkew();
    expect(missing.status).toBe('error');
    const upload = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${run.experiment_id}/${run.run_id}/artifacts/data/train.csv`, payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(upload.statusCode, upload.body).toBe(200);

    await sleep(1100);
    await infer(5);
    await logged(4 * REQUESTS);
    const skewed = await runSkew();
    expect(skewed, skewed.message).toMatchObject({ status: 'alert', reference_rows: REQUESTS, current_rows: REQUESTS, checks: { data_drift: 'FAIL' } });
    await sleep(1100);
    await infer(0);
    await logged(5 * REQUESTS);
    expect(await runSkew()).toMatchObject({ status: 'ok', checks: { data_drift: 'SUCCESS', data_quality: 'SUCCESS' } });

    // The same rows twice as Parquet, under a name that sorts first, are read instead.
    const parquet = await csvToParquet([csv, ...csv.split('\n').slice(1)].join('\n'));
    const parquetUpload = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${run.experiment_id}/${run.run_id}/artifacts/data/a-train.parquet`, payload: parquet, headers: { 'content-type': 'application/octet-stream' } });
    expect(parquetUpload.statusCode, parquetUpload.body).toBe(200);
    const parquetInput = await t.mlflow('POST', '/runs/log-inputs', {
      run_id: run.run_id,
      datasets: [{ dataset: { name: 'a-train', digest: 'parquet1', source_type: 'local', source: JSON.stringify({ uri: `runs:/${run.run_id}/data/a-train.parquet` }) }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
    });
    expect(parquetInput.statusCode).toBe(200);
    expect(await runSkew()).toMatchObject({ status: 'ok', reference_rows: 2 * REQUESTS, checks: { data_drift: 'SUCCESS' } });
  });

  it('holds model performance from labels posted later to its thresholds', async () => {
    const expected = await expectedPredictions('serving/logreg-30');
    const created = await t.app.inject({
      method: 'POST',
      url: `${API}/monitoring/monitors`,
      payload: manifest({
        name: 'accuracy',
        alerts: [],
        checks: { performance: { task: 'classification', prediction: 'label', scores: 'probabilities[1]', min_labelled_rows: 20, thresholds: { accuracy: { gte: 0.9 }, roc_auc: { gte: 0.5 } } } },
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const refused = await t.app.inject({
      method: 'POST',
      url: `${API}/monitoring/monitors`,
      payload: manifest({ name: 'bad', checks: { performance: { task: 'regression', prediction: 'label', thresholds: { accuracy: { gte: 0.9 } } } } }),
    });
    expect(refused.json().message).toMatch(/^Invalid monitor: checks\.performance\.thresholds: thresholds must name metrics of the task/);
    const runAccuracy = async () => (await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors/accuracy/run` })).json().run as MonitorRun;
    const label = (truth: (i: number) => number) =>
      t.app.inject({ method: 'POST', url: `${API}/deployments/fraud/labels`, payload: { labels: Array.from({ length: REQUESTS }, (_, i) => ({ request_id: `perf-${i}`, label: truth(i) })) } });

    await sleep(1100);
    for (let i = 0; i < REQUESTS; i++) {
      const row = rows[i % rows.length]!;
      const res = await t.app.inject({ method: 'POST', url: '/v2/models/fraud/infer', headers: { 'x-request-id': `perf-${i}` }, payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 30], data: row }] } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await logged(6 * REQUESTS);
    const unlabelled = await runAccuracy();
    expect(unlabelled).toMatchObject({ status: 'skipped', checks: { performance: 'SKIPPED' } });
    expect(unlabelled.results[0]!.message).toMatch(/holds 0 labelled rows; the check needs at least 20\.$/);

    // The model's own answers as the truth: accuracy 1.
    expect((await label((i) => expected.label[i % rows.length]!)).statusCode).toBe(200);
    const good = await runAccuracy();
    expect(good, good.results[0]!.message).toMatchObject({ status: 'ok', checks: { performance: 'SUCCESS' } });
    expect(good.results[0]!.performance).toMatchObject({ labelled_rows: REQUESTS, metrics: { accuracy: 1 } });

    // Every label flipped (a later label replaces the earlier): accuracy 0 fails the check.
    expect((await label((i) => 1 - expected.label[i % rows.length]!)).statusCode).toBe(200);
    const bad = await runAccuracy();
    expect(bad).toMatchObject({ status: 'alert', checks: { performance: 'FAIL' } });
    expect(bad.results[0]!.message).toMatch(/^Performance below its bounds on 40 labelled rows \(coverage 1\) from .*: accuracy 0 < 0\.9; roc_auc 0 < 0\.5\.$/);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/capstan_monitor_performance_metric\{monitor="accuracy",deployment="fraud",metric="accuracy"\} 0\n/);
    expect(text).toMatch(/capstan_monitor_check_status\{monitor="accuracy",deployment="fraud",check="performance",status="FAIL"\} 1/);
  });

  it('creates a training/serving skew monitor by itself for a deployment whose version has a training dataset', async () => {
    // Version 1 logged its training dataset (above) after 'fraud' was first looked at; a new deployment of it gets the monitor.
    const created = await t.app.inject({ method: 'PUT', url: `${API}/deployments/fraud-b`, payload: { name: 'fraud-b', spec: { models: [{ uri: 'models:/fraud/1' }] } } });
    expect(created.statusCode, created.body).toBeLessThan(300);
    await t.monitoring.tick();
    const monitor = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-b-training-skew` })).json().monitor;
    expect(monitor).toMatchObject({ deployment: 'fraud-b', reference: { type: 'training_dataset' }, checks: { data_drift: {} }, alerts: [], created_by: null });
    expect(monitor.description).toMatch(/^Created by Capstan: the inputs of deployment 'fraud-b' against the training dataset/);
    // Due at once: the same tick ran it (no traffic yet, so its checks were skipped).
    const runs = (await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-b-training-skew/runs` })).json().runs;
    expect(runs).toMatchObject([{ trigger: 'schedule', status: 'skipped', reference_rows: 2 * REQUESTS }]);

    // 'fraud' was looked at before its version had a dataset: it waits for the hourly recheck.
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-training-skew` })).statusCode).toBe(404);
    // A deleted skew monitor stays deleted while the deployment serves the same version, even when
    // another deployment's change makes the scheduler look at deployments again.
    expect((await t.app.inject({ method: 'DELETE', url: `${API}/monitoring/monitors/fraud-b-training-skew` })).statusCode).toBe(200);
    const other = await t.app.inject({ method: 'PUT', url: `${API}/deployments/fraud-c`, payload: { name: 'fraud-c', spec: { models: [{ uri: 'models:/fraud/1' }] } } });
    expect(other.statusCode, other.body).toBeLessThan(300);
    await t.monitoring.tick();
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-c-training-skew` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors/fraud-b-training-skew` })).statusCode).toBe(404);
  });

  it('watches a pair of stored datasets, reading both files again at every run', async () => {
    const version = (await t.mlflow('GET', '/model-versions/get', { name: 'fraud', version: '1' })).json().model_version;
    const run = (await t.mlflow('GET', '/runs/get', { run_id: version.run_id })).json().run.info;
    const header = Array.from({ length: 30 }, (_, i) => `input[${i}]`).join(',');
    const table = (shift: number) => [header, ...Array.from({ length: REQUESTS }, (_, i) => rows[i % rows.length]!.map((x) => Math.fround(x + shift + (i % 5) * 0.01)).join(','))].join('\n');
    const upload = async (path: string, csv: string) => {
      const res = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${run.experiment_id}/${run.run_id}/artifacts/${path}`, payload: csv, headers: { 'content-type': 'text/csv' } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const pair = {
      name: 'batch-scores',
      datasets: { reference: `runs:/${run.run_id}/data/train.csv`, current: `runs:/${run.run_id}/batches/latest.csv` },
      interval_seconds: 86_400,
      checks: { data_drift: {}, data_quality: { checks: ['missing_share'] } },
      alerts: [{ type: 'webhook', url: hook.url, secret: SECRET }],
    };
    const post = (body: object) => t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors`, payload: body });

    const refusals: [object, number, RegExp][] = [
      [{ ...pair, datasets: { ...pair.datasets, reference: `runs:/${run.run_id}/../other/x.csv` } }, 400, /^Invalid dataset-pair monitor: datasets\.reference: must be runs:\/<run_id>\/<path>/],
      [{ ...pair, checks: { performance: { task: 'classification', prediction: 'label', thresholds: { accuracy: { gte: 0.9 } } } } }, 400, /^Invalid dataset-pair monitor: checks: Unrecognized key/],
      [{ ...pair, deployment: 'fraud' }, 400, /^Invalid dataset-pair monitor: \(body\): Unrecognized key/],
      [{ ...pair, datasets: { ...pair.datasets, current: 'runs:/no-such-run/x.csv' } }, 404, /^Run 'no-such-run' of the current dataset not found$/],
    ];
    for (const [body, status, message] of refusals) {
      const res = await post(body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().message).toMatch(message);
    }

    const created = await post(pair);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().monitor).toMatchObject({ name: 'batch-scores', datasets: pair.datasets, workspace: 'default' });
    expect(created.json().monitor.deployment).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: `${API}/monitoring/monitors` })).json().monitors.map((m: { name: string }) => m.name)).toContain('batch-scores');

    // No current file yet: an error run that says so.
    const runPair = async () => (await t.app.inject({ method: 'POST', url: `${API}/monitoring/monitors/batch-scores/run` })).json().run as MonitorRun;
    const missing = await runPair();
    expect(missing).toMatchObject({ status: 'error', message: `The monitor could not read its data: the dataset file 'runs:/${run.run_id}/batches/latest.csv' is not in the artifact store` });

    // A shifted batch fails, and the alert names the datasets instead of a deployment.
    await upload('batches/latest.csv', table(5));
    const shifted = await runPair();
    expect(shifted).toMatchObject({ status: 'alert', reference_rows: REQUESTS, current_rows: REQUESTS, checks: { data_drift: 'FAIL', data_quality: 'SUCCESS' } });
    expect(shifted.window).toEqual({ from: shifted.started_at, to: shifted.started_at });
    await t.monitoring.alertsIdle();
    const alert = JSON.parse(hook.got.at(-1)!.body) as MonitorAlertPayload;
    expect(alert).toMatchObject({ event: 'monitor.alert.firing', monitor: 'batch-scores', deployment: null, datasets: pair.datasets, check: 'data_drift' });

    // The next batch replaces the file: read again, judged again.
    await upload('batches/latest.csv', table(0));
    expect(await runPair()).toMatchObject({ status: 'ok', checks: { data_drift: 'SUCCESS' } });
    await t.monitoring.alertsIdle();
    expect(JSON.parse(hook.got.at(-1)!.body)).toMatchObject({ event: 'monitor.alert.resolved', monitor: 'batch-scores', check: 'data_drift' });
  });
});
