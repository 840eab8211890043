import { createHmac } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Monitor, MonitorAlertDelivery, MonitorAlertPayload, MonitorRun, MonitorRunSummary } from '@capstan/contracts';
import { CapstanClient } from '@capstan/sdk';
import { loadConfig } from '@capstan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/models/serving/fraud-tabular', import.meta.url));
const SECRET = 'cli-monitor-webhook-secret-0123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  amount: number;
  country: string;
  hour: number;
}

let server: TestServer;
let work: string;
let rows: Row[];
let hook: { url: string; got: { headers: IncomingHttpHeaders; body: string }[]; close(): Promise<void> };
let started: number;

/** A local receiver for the monitor's signed webhook. */
async function receiver(): Promise<typeof hook> {
  const got: (typeof hook)['got'] = [];
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

beforeAll(async () => {
  // No scheduler: the only runs are the ones the tests ask for.
  server = await startTestServer({ monitoring: { ...loadConfig({ env: {} }).monitoring, schedulerEnabled: false } });
  work = await mkdtemp(join(tmpdir(), 'capstan-cli-monitors-'));
  hook = await receiver();
  rows = (JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8')) as { rows: Row[] }).rows;
  const run = await new CapstanClient({ url: server.url, env: {} }).startRun({ experimentName: 'cli-monitors', runName: 'train-fraud' });
  await run.end();
  expect((await capstan('models', 'log', FIXTURE, '--run', run.runId)).code).toBe(0);
  expect((await capstan('models', 'register', `runs:/${run.runId}/model`, '--name', 'fraud')).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
  await hook?.close();
  await rm(work, { recursive: true, force: true });
});

/** `capstan` with the server's URL and the webhook secret in the environment, as a CI job would have them. */
const capstan = (...argv: string[]) => runCli(argv, { env: { CAPSTAN_URL: server.url, HOOK_SECRET: SECRET } });

/** Sends each fixture row `times` times, amounts multiplied by `scale`, and waits until the log holds `total` records. */
async function traffic(times: number, scale: number, total: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    for (const row of rows) {
      const res = await fetch(`${server.url}/serving-endpoints/fraud/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataframe_records: [{ ...row, amount: row.amount * scale }] }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
  }
  // The inference log is written in the background.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${server.url}/api/capstan/v1/deployments/fraud/inference-log?limit=1000`);
    if (((await res.json()) as { records: unknown[] }).records.length >= total) return;
    if (Date.now() > deadline) throw new Error('the inference log did not catch up');
    await sleep(50);
  }
}

/** A deployment and a monitor of it, as one file in git would hold them. */
const manifests = (reference: { from: number; to: number }, monitor: Record<string, string> = {}) => `# the deployment first or not: apply sends deployments first
kind: Monitor
name: fraud-drift
description: inputs against the first hour of traffic
deployment: fraud
reference: { type: window, from: ${reference.from}, to: ${reference.to} }
window_seconds: ${monitor.window_seconds ?? 3600}
interval_seconds: 3600
min_rows: 5
checks:
  data_drift: { drift_share: 0.3 }
alerts:
  - type: webhook
    url: ${hook.url}
    secret: \${HOOK_SECRET}
---
kind: Deployment
name: fraud
spec:
  models:
    - uri: models:/fraud/1
`;

const json = <T>(result: { stdout: string }) => JSON.parse(result.stdout) as T;

describe('capstan monitors and apply kind: Monitor against a real server', () => {
  let okRun: MonitorRun;
  let alertRun: MonitorRun;

  it('applies a deployment and its monitor from one file, deployments first, and updates the monitor on a second apply', async () => {
    started = Date.now();
    const file = join(work, 'fraud.yaml');
    await writeFile(file, manifests({ from: 0, to: 1 }));
    const first = await capstan('apply', '-f', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('deployment/fraud created\nmonitor/fraud-drift created\n');
    expect(json(first)).toEqual([
      { kind: 'Deployment', name: 'fraud', outcome: 'created', revision: expect.any(Number) },
      { kind: 'Monitor', name: 'fraud-drift', outcome: 'created' },
    ]);

    // Normal traffic becomes the reference window.
    await traffic(3, 1, 3 * rows.length);
    await writeFile(file, manifests({ from: started, to: Date.now() + 1 }));
    const second = await capstan('apply', '-f', file);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('deployment/fraud unchanged\nmonitor/fraud-drift updated\n');
  });

  it('lists monitors as a table, by deployment, and as JSON without the webhook secret', async () => {
    const table = await capstan('monitors', 'list');
    expect(table.code, table.stderr).toBe(0);
    const [header, row, extra] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+WATCHES\s+REFERENCE\s+CHECKS\s+WINDOW\s+INTERVAL\s+ALERTS\s+ENABLED\s+NEXT RUN$/);
    expect(row).toMatch(/^fraud-drift\s+fraud\s+window \S+Z\.\.\S+Z\s+data_drift\s+1h\s+1h\s+webhook\s+yes\s+\S+Z$/);
    expect(extra).toBeUndefined();

    expect((await capstan('monitors', 'list', '--deployment', 'other')).stdout.trimEnd().split('\n')).toHaveLength(1);
    const listed = json<Monitor[]>(await capstan('monitors', 'list', '--deployment', 'fraud', '--json'));
    expect(listed.map((m) => m.name)).toEqual(['fraud-drift']);

    const got = await capstan('monitors', 'get', 'fraud-drift');
    expect(got.code, got.stderr).toBe(0);
    expect(json<Monitor>(got)).toMatchObject({ name: 'fraud-drift', deployment: 'fraud', reference: { type: 'window', from: started }, alerts: [{ type: 'webhook', url: hook.url }] });
    expect(got.stdout).not.toContain(SECRET);
  });

  it('runs a monitor now: ok on normal traffic, alert on shifted amounts, failing the command only with --fail-on-alert', async () => {
    const ok = await capstan('monitors', 'run', 'fraud-drift', '--fail-on-alert');
    expect(ok.code, ok.stderr).toBe(0);
    okRun = json<MonitorRun>(ok);
    expect(okRun).toMatchObject({ monitor: 'fraud-drift', status: 'ok', reference_rows: 3 * rows.length, current_rows: 3 * rows.length, checks: { data_drift: 'SUCCESS' } });
    expect(ok.stderr).toBe(`Monitor 'fraud-drift' run ${okRun.run_id}: ok (data_drift=SUCCESS; ${3 * rows.length} rows against ${3 * rows.length})\n`);

    await traffic(4, 50, 7 * rows.length);
    const plain = await capstan('monitors', 'run', 'fraud-drift');
    expect(plain.code, plain.stderr).toBe(0);
    expect(json<MonitorRun>(plain)).toMatchObject({ status: 'alert', current_rows: 7 * rows.length, checks: { data_drift: 'FAIL' } });

    const failing = await capstan('monitors', 'run', 'fraud-drift', '--fail-on-alert');
    expect(failing.code).toBe(1);
    alertRun = json<MonitorRun>(failing);
    expect(alertRun.status).toBe('alert');
    expect(failing.stderr).toBe(`error: MONITOR_ALERT: monitor 'fraud-drift' run ${alertRun.run_id} is alert (data_drift=FAIL)\n`);
  });

  it('pages through runs, newest first, and shows one with its drift report', async () => {
    const table = await capstan('monitors', 'runs', 'fraud-drift');
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+STATUS\s+TRIGGER\s+STARTED\s+DURATION\s+ROWS\s+REFERENCE ROWS\s+CHECKS\s+MESSAGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(1, 3))).toEqual([
      ['alert', 'api'],
      ['alert', 'api'],
      ['ok', 'api'],
    ]);
    expect(lines[1]).toMatch(new RegExp(`^${alertRun.run_id}\\s+alert\\s+api\\s+\\S+Z\\s+\\S+s\\s+${7 * rows.length}\\s+${3 * rows.length}\\s+data_drift=FAIL$`));
    expect(table.stderr).toBe('');

    const first = await capstan('monitors', 'runs', 'fraud-drift', '--limit', '2');
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(3);
    const token = /^More runs: --page-token (\S+)\n$/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();
    const rest = json<{ runs: MonitorRunSummary[]; next_page_token?: string }>(await capstan('monitors', 'runs', 'fraud-drift', '--limit', '2', '--page-token', token!, '--json'));
    expect(rest).toEqual({ runs: [expect.objectContaining({ run_id: okRun.run_id, status: 'ok' })] });

    const detail = await capstan('monitors', 'get-run', 'fraud-drift', alertRun.run_id);
    expect(detail.code, detail.stderr).toBe(0);
    const run = json<MonitorRun>(detail);
    expect(run).toMatchObject({ run_id: alertRun.run_id, status: 'alert', results: [{ check: 'data_drift', status: 'FAIL' }] });
    expect(run.results[0]!.drift).toMatchObject({ dataset_drift: true, number_of_columns: 3 });

    const missing = await capstan('monitors', 'get-run', 'fraud-drift', 'no-such-run');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: RESOURCE_DOES_NOT_EXIST: Run 'no-such-run' of monitor 'fraud-drift' not found\n");
  });

  it('lists the alert deliveries: one signed firing notice, the secret taken from the environment', async () => {
    const deadline = Date.now() + 15_000;
    let deliveries: MonitorAlertDelivery[] = [];
    while (!(deliveries.length === 1 && deliveries[0]!.status === 'succeeded')) {
      if (Date.now() > deadline) throw new Error(`the alert was not delivered: ${JSON.stringify(deliveries)}`);
      await sleep(100);
      deliveries = json<MonitorAlertDelivery[]>(await capstan('monitors', 'alerts', 'fraud-drift', '--json'));
    }
    // The first failing run fires; the second is de-duplicated.
    const firstAlert = json<{ runs: MonitorRunSummary[] }>(await capstan('monitors', 'runs', 'fraud-drift', '--json')).runs[1]!;
    expect(deliveries[0]).toMatchObject({ event: 'monitor.alert.firing', check: 'data_drift', channel: { type: 'webhook', url: hook.url }, run_id: firstAlert.run_id });

    const table = await capstan('monitors', 'alerts', 'fraud-drift');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^\S+\s+monitor\.alert\.firing\s+data_drift\s+webhook 127\.0\.0\.1:\d+\s+succeeded\s+1\s+\S+Z\s+\S+$/);

    expect(hook.got).toHaveLength(1);
    const [{ headers, body }] = hook.got as [(typeof hook.got)[number]];
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${String(headers['x-capstan-timestamp'])}.${body}`).digest('hex')}`;
    expect(headers['x-capstan-signature']).toBe(expected);
    expect(JSON.parse(body) as MonitorAlertPayload).toMatchObject({ event: 'monitor.alert.firing', monitor: 'fraud-drift', deployment: 'fraud', status: 'FAIL' });
  });

  it('refuses an unknown kind before applying anything, naming the document', async () => {
    const file = join(work, 'unknown-kind.yaml');
    await writeFile(file, 'kind: Deployment\nname: fraud-two\nspec:\n  models:\n    - uri: models:/fraud/1\n---\nkind: Service\nname: fraud-two\n');
    const result = await capstan('apply', '-f', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: INVALID_ARGUMENT: ${file}: document 2: unknown kind "Service"; expected Deployment (the default when kind is left out) or Monitor\n`);
    expect((await capstan('deployments', 'get', 'fraud-two')).code).toBe(1);
  });

  it("refuses an alert secret whose environment variable is unset, and shows the server's refusal of a bad monitor", async () => {
    const file = join(work, 'bad.yaml');
    await writeFile(file, manifests({ from: 0, to: 1 }).replaceAll('HOOK_SECRET', 'UNSET_SECRET'));
    const unset = await capstan('apply', '-f', file);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toBe(
      `error: INVALID_ARGUMENT: ${file}: document 1 (monitor 'fraud-drift'): alerts[0].secret uses \${UNSET_SECRET}, but the environment variable UNSET_SECRET is not set\n`,
    );

    await writeFile(file, manifests({ from: 0, to: 1 }, { window_seconds: '0' }));
    const invalid = await capstan('apply', '-f', file);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^deployment\/fraud unchanged\nerror: INVALID_PARAMETER_VALUE: .*window_seconds: .+\n$/);
    // The monitor is as the last good apply left it.
    expect(json<Monitor>(await capstan('monitors', 'get', 'fraud-drift'))).toMatchObject({ window_seconds: 3600, reference: { from: started } });
  });

  it('reports an unknown monitor with the exit code and the server message', async () => {
    for (const argv of [['get'], ['run'], ['runs'], ['alerts'], ['delete']]) {
      const result = await capstan('monitors', ...argv, 'nope');
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe("error: RESOURCE_DOES_NOT_EXIST: Monitor 'nope' not found\n");
    }
  });

  it('deletes a monitor with its runs', async () => {
    const deleted = await capstan('monitors', 'delete', 'fraud-drift');
    expect(deleted).toMatchObject({ code: 0, stdout: '', stderr: "Deleted monitor 'fraud-drift'\n" });
    const gone = await capstan('monitors', 'runs', 'fraud-drift');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe("error: RESOURCE_DOES_NOT_EXIST: Monitor 'fraud-drift' not found\n");
    expect((await capstan('monitors', 'list')).stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});
