import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CapstanClient } from '@capstan/sdk';
import { startModelServer, type RunningModelServer } from '@capstan/server/model-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/models/serving/${name}`, import.meta.url));
const expected = async (name: string) =>
  JSON.parse(await readFile(join(fixture(name), 'expected.json'), 'utf8')) as { rows: number[][]; label: number[]; probabilities: number[][] };
const COLUMNS = Array.from({ length: 30 }, (_, i) => `f${i}`);

let registry: TestServer;
let work: string;
const running: RunningModelServer[] = [];

const capstan = (...argv: string[]) =>
  runCli(argv, { env: { CAPSTAN_URL: registry.url } }, {
    startModelServer: async (options) => {
      const server = await startModelServer({ ...options, logLevel: 'silent' });
      running.push(server);
      return server;
    },
  });

/** Starts `capstan serve` and returns the model server it started. */
async function serve(...argv: string[]): Promise<RunningModelServer> {
  const result = await capstan('serve', ...argv, '--port', '0');
  expect(result.code, result.stderr).toBe(0);
  return running.at(-1)!;
}

async function publish(fixtureName: string, name: string): Promise<void> {
  const client = new CapstanClient({ url: registry.url, env: {} });
  const run = await client.startRun({ experimentName: 'serve-tests', runName: fixtureName });
  await run.end();
  expect((await capstan('models', 'log', fixture(fixtureName), '--run', run.runId)).code).toBe(0);
  const registered = await capstan('models', 'register', `runs:/${run.runId}/model`, '--name', name);
  expect(registered.code, registered.stderr).toBe(0);
}

const post = async (url: string, body: unknown, contentType = 'application/json') => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  registry = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'capstan-serve-'));
  await publish('logreg-30', 'fraud');
  expect((await capstan('models', 'alias', 'set', 'fraud', 'champion', '1')).code).toBe(0);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await registry.close();
  await rm(work, { recursive: true, force: true });
});

describe('capstan serve: one model in its own process', () => {
  it('serves a registered alias on /invocations, OIP and KServe v1 with the same predictions, and reports health and metrics', async () => {
    const server = await serve('models:/fraud@champion');
    const v1 = await expected('logreg-30');
    expect(server.name).toBe('fraud');
    expect(server.version()).toEqual({ name: 'fraud', version: '1' });

    const ping = await fetch(`${server.url}/ping`);
    expect(ping.status).toBe(200);
    const split = await post(`${server.url}/invocations`, { dataframe_split: { columns: COLUMNS, data: v1.rows } });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const predictions = split.body.predictions as { label: number[]; probabilities: number[][] };
    expect(predictions.label).toEqual(v1.label);
    predictions.probabilities.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(v1.probabilities[i]![j]!, 5)));

    const csv = [COLUMNS.join(','), ...v1.rows.map((r) => r.join(','))].join('\n');
    expect(((await post(`${server.url}/invocations`, csv, 'text/csv')).body.predictions as { label: number[] }).label).toEqual(v1.label);

    const oip = await post(`${server.url}/v2/models/fraud/infer`, { inputs: COLUMNS.map((c, i) => ({ name: c, datatype: 'FP64', shape: [v1.rows.length], data: v1.rows.map((r) => r[i]) })) });
    expect(oip.status, JSON.stringify(oip.body)).toBe(200);
    expect(oip.body.model_version).toBe('1');
    expect((oip.body.outputs as { name: string; data: number[] }[]).find((o) => o.name === 'label')!.data).toEqual(v1.label);

    const kserve = await post(`${server.url}/v1/models/fraud:predict`, { instances: v1.rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]]))) });
    expect(kserve.status, JSON.stringify(kserve.body)).toBe(200);
    expect((kserve.body.predictions as { label: number }[]).map((p) => p.label)).toEqual(v1.label);

    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/capstan_serving_model_load_seconds_count\{model="fraud",version="1"\} 1/);
    expect(metrics).toMatch(/capstan_serving_requests_total\{[^}]*protocol="mlflow"[^}]*\} 2/);
  });

  it('refuses bad requests in each protocol\'s error shape', async () => {
    const server = await serve('models:/fraud@champion', '--name', 'scorer');
    const xml = await post(`${server.url}/invocations`, '<rows/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ error_code: 'BAD_REQUEST' });
    const missing = await post(`${server.url}/invocations`, { dataframe_split: { columns: ['f0'], data: [[1]] } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/f1/);
    const unknown = await post(`${server.url}/v2/models/fraud/infer`, { inputs: [] });
    expect(unknown).toEqual({ status: 404, body: { error: "unknown deployment 'fraud'" } });
  });

  it('follows its alias: a moved alias is fetched, warmed and swapped in without a failed request', async () => {
    const server = await serve('models:/fraud@champion', '--poll-interval', '1');
    await publish('logreg-30-v2', 'fraud');
    const v2 = await expected('logreg-30-v2');
    const body = { dataframe_split: { columns: COLUMNS, data: v2.rows } };
    const statuses: number[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop) statuses.push((await post(`${server.url}/invocations`, body)).status);
    })();
    expect((await capstan('models', 'alias', 'set', 'fraud', 'champion', '2')).code).toBe(0);
    const deadline = Date.now() + 15_000;
    while (server.version()?.version !== '2' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // The table is swapped right after the version is recorded; give in-flight requests a moment.
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await load;
    expect(server.version()).toEqual({ name: 'fraud', version: '2' });
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const answer = await post(`${server.url}/v2/models/fraud/infer`, { inputs: COLUMNS.map((c, i) => ({ name: c, datatype: 'FP64', shape: [v2.rows.length], data: v2.rows.map((r) => r[i]) })) });
    expect(answer.body.model_version).toBe('2');
    expect((answer.body.outputs as { name: string; data: number[] }[]).find((o) => o.name === 'label')!.data).toEqual(v2.label);
    expect((await capstan('models', 'alias', 'set', 'fraud', 'champion', '1')).code).toBe(0);
  });

  it('serves a local MLflow model folder without a registry', async () => {
    const server = await serve(fixture('logreg-30'), '--name', 'local');
    const v1 = await expected('logreg-30');
    const answer = await post(`${server.url}/invocations`, { dataframe_split: { columns: COLUMNS, data: v1.rows } });
    expect((answer.body.predictions as { label: number[] }).label).toEqual(v1.label);
    expect((await fetch(`${server.url}/v1/models/local`)).status).toBe(200);
  });

  it('fails to start, saying why, when the model cannot be served', async () => {
    const ghost = await capstan('serve', 'models:/ghost@champion', '--port', '0');
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toMatch(/RESOURCE_DOES_NOT_EXIST/);
    const run = await capstan('serve', 'runs:/abc/model', '--port', '0');
    expect(run.stderr).toMatch(/INVALID_ARGUMENT: runs:\/abc\/model: serve a registered model/);
    const nowhere = await capstan('serve', join(work, 'nowhere'), '--port', '0');
    expect(nowhere.stderr).toMatch(/is not a folder/);
    const empty = join(work, 'empty');
    await mkdir(empty);
    const noMlmodel = await capstan('serve', empty, '--port', '0');
    expect(noMlmodel.code).toBe(1);
    expect(noMlmodel.stderr).toMatch(/has no MLmodel file/);
    const sklearn = join(work, 'sklearn');
    await mkdir(sklearn);
    await writeFile(join(sklearn, 'MLmodel'), 'flavors:\n  sklearn:\n    pickled_model: model.pkl\n');
    const notOnnx = await capstan('serve', sklearn, '--port', '0');
    expect(notOnnx.stderr).toMatch(/is a sklearn model; Capstan serves ONNX models/);
    expect(running).toEqual([]);
  });
});
