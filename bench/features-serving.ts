/**
 * The feature store's online side, end to end through a `capstan server` process:
 *
 * - Materialization of 1,000,000 entities (10 float features each, from a Parquet file under the
 *   offline root) through `POST /feature-server/{project}/materialize`, into SQLite and into local
 *   Redis. Baseline in the same run: DuckDB alone computing the same latest-row-per-key scan.
 *   Targets: under 15 s into SQLite, under 30 s into Redis.
 * - Online reads over HTTP (`/get-online-features`, Feast JSON) of one entity x 50 features and of
 *   100 entities x 50 features, one request at a time on a keep-alive socket, after warm-up.
 *   Baselines in the same run: a bare node:http server in its own process answering a fixed JSON
 *   body (the machine's floor for a request between two processes), and `GET /health` on the same
 *   server. Targets: p99 under 2 ms (SQLite) and 3 ms (Redis) for one entity, under 10 ms for 100.
 *
 * Runs the compiled server, as `npm start` does: `npm run build` first.
 *
 *   npx tsx bench/features-serving.ts [--entities 1000000] [--reads 5000] [--wait-quiet 120]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Redis } from 'ioredis';
import type { FeatureRepoDefinition } from '../packages/contracts/src/index.js';
import { parseBenchArgs } from './lib/args.js';
import { HttpClient } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { startCapstan } from './lib/server.js';
import { summarize } from './lib/stats.js';

const REDIS_URL = process.env.CAPSTAN_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WIDE_ENTITIES = 10_000;
const WIDE_FEATURES = 50;
const BULK_FEATURES = 10;
const PROJECT = 'bench_features';
const EVENT_TIME = '2026-01-01T00:00:00Z';

const args = parseBenchArgs({ entities: 1_000_000, reads: 5000 });
const { entities, reads } = args.numbers;

const names = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

function repo(): FeatureRepoDefinition {
  const view = (name: string, source: string, features: number) => ({
    name,
    entities: ['item'],
    source,
    schema: names(features).map((f) => ({ name: f, dtype: 'float64' as const })),
    ttl_seconds: 0,
    online: true,
  });
  return {
    project: PROJECT,
    entities: [{ name: 'item', join_keys: [{ name: 'item_id', dtype: 'int64' }] }],
    data_sources: [
      { name: 'bulk_source', kind: 'file', path: 'bulk.parquet', format: 'parquet', timestamp_field: 'event_timestamp' },
      { name: 'wide_source', kind: 'file', path: 'wide.parquet', format: 'parquet', timestamp_field: 'event_timestamp' },
    ],
    feature_views: [view('bulk', 'bulk_source', BULK_FEATURES), view('wide', 'wide_source', WIDE_FEATURES)],
    on_demand_feature_views: [],
    feature_services: [],
  };
}

/** Two Parquet files: `bulk` (entities x 10 features) and `wide` (10,000 x 50), one row per key. */
async function writeData(root: string): Promise<number> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const table = async (file: string, rows: number, features: number) => {
    const columns = names(features).map((f, i) => `(hash(i * ${i + 7}) % 1000000) / 1000.0 AS ${f}`).join(', ');
    await connection.run(
      `COPY (SELECT i AS item_id, TIMESTAMPTZ '${EVENT_TIME}' + to_seconds(i % 3600) AS event_timestamp, ${columns} FROM range(${rows}) t(i)) TO '${join(root, file)}' (FORMAT parquet)`,
    );
  };
  await table('bulk.parquet', entities, BULK_FEATURES);
  await table('wide.parquet', WIDE_ENTITIES, WIDE_FEATURES);
  connection.closeSync();
  instance.closeSync();
  return performance.now() - started;
}

/** Baseline: DuckDB alone computing the latest row per key of the bulk file and reading it out. */
async function duckdbScanMs(root: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  const reader = await connection.runAndReadAll(
    `SELECT * FROM read_parquet('${join(root, 'bulk.parquet')}') QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY event_timestamp DESC) = 1`,
  );
  const rows = reader.getRowObjectsJS().length;
  const ms = performance.now() - started;
  connection.closeSync();
  instance.closeSync();
  if (rows !== entities) throw new Error(`baseline scan found ${rows} rows`);
  return ms;
}

/**
 * The measuring client runs as a plain Node process of its own, as a caller would: the bench
 * process holds the generated data and DuckDB, whose garbage collection would otherwise show up
 * in the latencies. It sends `count` requests one at a time on a keep-alive socket after 500
 * warm-up requests and prints their latencies (ms) as JSON.
 */
const PROBE = `
const http = require('node:http');
const [url, path, mode, count, entities, features] = process.argv.slice(1);
const { hostname, port } = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const refs = Array.from({ length: Number(features) }, (_, i) => 'wide:f' + i);
const bodyOf = (i) => mode === 'get' ? undefined : JSON.stringify({ features: refs, entities: { item_id: mode === 'one' ? [(i * 7919) % Number(entities)] : Array.from({ length: 100 }, (_, k) => (i * 100 + k * 31) % Number(entities)) } });
const send = (i) => new Promise((resolve, reject) => {
  const body = bodyOf(i);
  const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const started = performance.now();
  const req = http.request({ host: hostname, port, path, method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
    if (res.statusCode !== 200) reject(new Error(path + ' answered ' + res.statusCode));
    res.resume();
    res.on('end', () => resolve(performance.now() - started));
  });
  req.on('error', reject);
  req.end(body);
});
(async () => {
  const samples = [];
  for (let i = 0; i < Number(count) + 500; i++) { const ms = await send(i); if (i >= 500) samples.push(ms); }
  console.log(JSON.stringify(samples));
  agent.destroy();
})().catch((err) => { console.error(err.message); process.exit(1); });`;

async function probe(url: string, path: string, mode: 'one' | 'hundred' | 'get', count: number): Promise<ReturnType<typeof summarize>> {
  const child = spawn(process.execPath, ['-e', PROBE, url, path, mode, String(count), String(WIDE_ENTITIES), String(WIDE_FEATURES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`latency probe of ${path} failed`);
  return summarize(JSON.parse(out) as number[]);
}

const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); }); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

/** Latency of a bare node:http server in another process: what any server here pays per request. */
async function bareFloor(count: number): Promise<ReturnType<typeof summarize>> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    return await probe(`http://127.0.0.1:${port}`, '/', 'get', count);
  } finally {
    child.kill();
  }
}

async function runStore(kind: 'sqlite' | 'redis', root: string): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), `capstan-bench-features-${kind}-`));
  const online = kind === 'sqlite' ? `sqlite:///${join(dir, 'online.db')}` : REDIS_URL;
  const server = await startCapstan({
    compiled: true,
    backendStoreUri: `sqlite:///${join(dir, 'capstan.db')}`,
    artifactsDir: join(dir, 'artifacts'),
    env: { CAPSTAN_FEATURES_OFFLINE_STORE_URI: root, CAPSTAN_FEATURES_ONLINE_STORE_URI: online },
  });
  const client = new HttpClient(server.url, 1);
  try {
    const applied = await client.send('POST', '/api/capstan/v1/features/apply', JSON.stringify({ definition: repo(), base_revision: 0 }));
    if (applied.status !== 200) throw new Error(`apply failed: ${applied.text}`);
    const range = { start_ts: '2025-12-31T00:00:00Z', end_ts: '2026-01-02T00:00:00Z' };
    const wide = await client.send('POST', `/feature-server/${PROJECT}/materialize`, JSON.stringify({ ...range, feature_views: ['wide'] }));
    if (wide.status !== 200) throw new Error(`materialize failed: ${wide.text}`);
    progress(`${kind}: ${reads} online reads of 1 and of 100 entities`);
    const path = `/feature-server/${PROJECT}/get-online-features`;
    const one = await probe(server.url, path, 'one', reads);
    const hundred = await probe(server.url, path, 'hundred', Math.ceil(reads / 5));
    const health = await probe(server.url, '/health', 'get', reads);
    progress(`${kind}: materializing ${entities} entities`);
    const bulk = await client.send('POST', `/feature-server/${PROJECT}/materialize`, JSON.stringify({ ...range, feature_views: ['bulk'] }));
    if (bulk.status !== 200) throw new Error(`materialize failed: ${bulk.text}`);
    return {
      materialize: { entities, features: BULK_FEATURES, seconds: Math.round(bulk.ms) / 1000, rows: (JSON.parse(bulk.text) as { views: { rows: number }[] }).views[0]!.rows },
      online_one_entity_50_features_ms: one,
      online_100_entities_50_features_ms: hundred,
      health_ms: health,
    };
  } finally {
    await client.send('DELETE', `/api/capstan/v1/features/projects/${PROJECT}`).catch(() => undefined);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const root = await mkdtemp(join(tmpdir(), 'capstan-bench-offline-'));
  try {
    progress(`writing ${entities} + ${WIDE_ENTITIES} rows of Parquet`);
    const dataMs = await writeData(root);
    const scanMs = await duckdbScanMs(root);
    const floor = await bareFloor(reads);
    const sqlite = await runStore('sqlite', root);
    const probe = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    const redisUp = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    const redis = redisUp ? await runStore('redis', root) : undefined;
    const p99 = (r: Record<string, unknown> | undefined, key: string) => (r?.[key] as { p99: number } | undefined)?.p99 ?? Number.POSITIVE_INFINITY;
    const seconds = (r: Record<string, unknown> | undefined) => (r?.materialize as { seconds: number } | undefined)?.seconds ?? Number.POSITIVE_INFINITY;
    const checks = {
      sqlite_materialize_under_15s: seconds(sqlite) < 15,
      redis_materialize_under_30s: seconds(redis) < 30,
      sqlite_one_entity_p99_under_2ms: p99(sqlite, 'online_one_entity_50_features_ms') < 2,
      redis_one_entity_p99_under_3ms: p99(redis, 'online_one_entity_50_features_ms') < 3,
      sqlite_100_entities_p99_under_10ms: p99(sqlite, 'online_100_entities_50_features_ms') < 10,
      redis_100_entities_p99_under_10ms: p99(redis, 'online_100_entities_50_features_ms') < 10,
    };
    emit({
      benchmark: 'features-serving',
      store: 'sqlite metadata; online sqlite and redis',
      machine,
      date: new Date().toISOString(),
      results: { sqlite, ...(redis ? { redis } : {}), data_generation_ms: Math.round(dataMs) },
      baseline: { duckdb_latest_per_key_scan_ms: Math.round(scanMs), bare_http_server_ms: floor, capstan_health: 'health_ms in each store result' },
      target: { materialize_1m_sqlite_s: 15, materialize_1m_redis_s: 30, p99_one_entity_ms: { sqlite: 2, redis: 3 }, p99_100_entities_ms: 10 },
      pass: Object.values(checks).every(Boolean),
      notes: [JSON.stringify(checks), ...(redis ? [] : [`Redis was not reachable at ${REDIS_URL}: its figures are missing`])],
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
