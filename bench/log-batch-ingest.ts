/**
 * Sustained log-batch ingestion: `clients` concurrent HTTP clients, each logging 1000-metric
 * batches into its own run over a keep-alive connection, against a Capstan server process.
 * Baseline, same run: the same rows inserted into a fresh database of the same schema with the raw
 * driver, one transaction per batch (the storage floor).
 *
 *   npx tsx bench/log-batch-ingest.ts [--store sqlite|postgres] [--clients 4] [--batches 400]
 *     [--warmup 40] [--max-seconds 60] [--profile DIR]
 */
import { cpus } from 'node:os';
import Database from 'better-sqlite3';
import { parseBenchArgs } from './lib/args.js';
import { CpuMeter, type CpuBreakdown } from './lib/cpu.js';
import { HttpClient, runPool } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { createExperiment, createRun, rpcPath } from './lib/mlflow.js';
import { seededRandom } from './lib/rand.js';
import { openRaw } from './lib/raw.js';
import { startCapstan } from './lib/server.js';
import { round, summarize, type Summary } from './lib/stats.js';
import { createBenchStore, openPgPool, type BenchStore } from './lib/store.js';

const TARGET_VALUES_PER_SECOND = 100_000;
const METRICS_PER_BATCH = 1000;
/** Each batch carries KEYS metrics at METRICS_PER_BATCH / KEYS consecutive steps. */
const KEYS = 10;
const T0 = 1_700_000_000_000;

const args = parseBenchArgs({ clients: 4, batches: 400, warmup: 40, 'max-seconds': 60 });
const { clients, batches, warmup } = args.numbers;
const maxSeconds = args.numbers['max-seconds'];

interface Row {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Batch i: its rows (for the baseline) and its metrics as JSON (for the request body). */
function makeBatches(count: number): { rows: Row[]; json: string }[] {
  const rand = seededRandom(7);
  const stepsPerBatch = METRICS_PER_BATCH / KEYS;
  return Array.from({ length: count }, (_, i) => {
    const rows: Row[] = [];
    for (let j = 0; j < METRICS_PER_BATCH; j++) {
      const step = i * stepsPerBatch + Math.floor(j / KEYS);
      rows.push({ key: `m${j % KEYS}`, value: rand(), timestamp: T0 + step, step });
    }
    return { rows, json: JSON.stringify(rows) };
  });
}

interface Throughput {
  /**
   * What the CPU time spent per batch would allow if nothing else ran: the busiest single process
   * (Node is one thread; SQLite runs inside it) and the whole machine. Robust to other people's
   * load, unlike wall-clock figures.
   */
  cpuBoundValuesPerSecond: { busiestProcess: number; wholeMachine: number };
  batches: number;
  values: number;
  seconds: number;
  valuesPerSecond: number;
  batchesPerSecond: number;
  latencyMs: Summary;
  cpu: CpuBreakdown;
}

function throughput(latencies: number[], wallMs: number, cpu: CpuBreakdown): Throughput {
  const seconds = wallMs / 1000;
  const perBatch = (ms: number) => ms / Math.max(1, latencies.length);
  const busiest = Math.max(cpu.serverMs, cpu.clientMs);
  const ours = cpu.serverMs + cpu.clientMs + cpu.postgresMs;
  return {
    cpuBoundValuesPerSecond: {
      busiestProcess: Math.round((1000 / perBatch(busiest)) * METRICS_PER_BATCH),
      wholeMachine: Math.round(((cpus().length * 1000) / perBatch(ours)) * METRICS_PER_BATCH),
    },
    batches: latencies.length,
    values: latencies.length * METRICS_PER_BATCH,
    seconds: round(seconds, 3),
    valuesPerSecond: Math.round((latencies.length * METRICS_PER_BATCH) / seconds),
    batchesPerSecond: round(latencies.length / seconds, 1),
    latencyMs: summarize(latencies),
    cpu,
  };
}

/** Creates the experiment and one run per client through the API (also migrates a fresh store). */
async function prepareRuns(http: HttpClient, count: number): Promise<string[]> {
  const experimentId = await createExperiment(http, `ingest-${Date.now()}`);
  const runIds: string[] = [];
  for (let c = 0; c < count; c++) runIds.push(await createRun(http, experimentId, `client-${c}`, T0));
  return runIds;
}

async function measureCapstan(store: BenchStore, data: { rows: Row[]; json: string }[]) {
  const server = await startCapstan({
    backendStoreUri: store.uri,
    artifactsDir: `${store.dir}/artifacts`,
    ...(args.profileDir ? { cpuProfileDir: args.profileDir } : {}),
  });
  const http = new HttpClient(server.url, clients);
  try {
    const runIds = await prepareRuns(http, clients);
    const path = rpcPath('logBatch');
    const body = (i: number, lane: number) => `{"run_id":"${runIds[lane]}","metrics":${data[i]!.json}}`;
    progress(`capstan ${store.kind}: warm-up ${warmup} batches`);
    await runPool(warmup, clients, async (i, lane) => {
      await http.post(path, body(i, lane));
    });
    progress(`capstan ${store.kind}: measuring ${batches} batches with ${clients} clients (cap ${maxSeconds} s)`);
    const latencies: number[] = [];
    const meter = new CpuMeter(server.pid, store.databaseName);
    await meter.begin();
    const started = performance.now();
    const deadline = started + maxSeconds * 1000;
    await runPool(
      batches,
      clients,
      async (i, lane) => {
        const res = await http.post(path, body(warmup + i, lane));
        latencies.push(res.ms);
      },
      () => performance.now() > deadline,
    );
    const wallMs = performance.now() - started;
    const cpu = await meter.end();
    const requestBytes = Buffer.byteLength(body(warmup, 0));
    const raw = openRaw(store);
    const [stored] = await raw.all<{ n: number | string }>('select count(*) as n from metrics');
    await raw.close();
    return { ...throughput(latencies, wallMs, cpu), requestBytesPerBatch: requestBytes, rowsStored: Number(stored!.n), runIds };
  } finally {
    http.close();
    await server.stop();
  }
}

/** The floor: the same rows straight into a fresh database of the same schema. */
async function measureBaseline(store: BenchStore, data: { rows: Row[]; json: string }[], measured: number) {
  // Let Capstan create the schema and the runs the metrics reference, then stop it.
  const server = await startCapstan({ backendStoreUri: store.uri, artifactsDir: `${store.dir}/artifacts` });
  const http = new HttpClient(server.url, 1);
  let runIds: string[];
  try {
    runIds = await prepareRuns(http, clients);
  } finally {
    http.close();
    await server.stop();
  }
  const latencies: number[] = [];
  const meter = new CpuMeter(undefined, store.databaseName);
  if (store.sqlitePath) {
    const db = new Database(store.sqlitePath);
    // The pragmas Capstan's SQLite adapter sets.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const stmt = db.prepare(
      'insert into metrics (run_uuid, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest) values (?, ?, ?, 0, ?, ?, \'\', \'\', \'\')',
    );
    const insertBatch = db.transaction((runId: string, rows: readonly Row[]) => {
      for (const r of rows) stmt.run(runId, r.key, r.value, r.timestamp, r.step);
    });
    for (let i = 0; i < warmup; i++) insertBatch(runIds[i % clients]!, data[i]!.rows);
    await meter.begin();
    const started = performance.now();
    for (let i = 0; i < measured; i++) {
      const started = performance.now();
      insertBatch(runIds[i % clients]!, data[warmup + i]!.rows);
      latencies.push(performance.now() - started);
    }
    const wallMs = performance.now() - started;
    const cpu = await meter.end();
    db.close();
    return {
      method: 'better-sqlite3 prepared INSERT, one transaction per 1000 rows, single connection (WAL, synchronous=NORMAL, foreign_keys=ON)',
      ...throughput(latencies, wallMs, cpu),
    };
  }
  const pool = openPgPool(store.postgresUrl!, clients);
  const columns = 9;
  const placeholders = Array.from({ length: METRICS_PER_BATCH }, (_, r) =>
    `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
  ).join(', ');
  const text = `insert into metrics (run_uuid, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest) values ${placeholders}`;
  const insert = async (i: number, lane: number) => {
    const runId = runIds[lane]!;
    const params = data[i]!.rows.flatMap((r) => [runId, r.key, r.value, 0, r.timestamp, r.step, '', '', '']);
    await pool.query(text, params);
  };
  try {
    await runPool(warmup, clients, insert);
    await meter.begin();
    const started = performance.now();
    await runPool(measured, clients, async (i, lane) => {
      const started = performance.now();
      await insert(warmup + i, lane);
      latencies.push(performance.now() - started);
    });
    const wallMs = performance.now() - started;
    const cpu = await meter.end();
    return {
      method: `pg multi-row INSERT of 1000 rows (one implicit transaction), ${clients} concurrent connections`,
      ...throughput(latencies, wallMs, cpu),
    };
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const date = new Date().toISOString();
  const data = makeBatches(warmup + batches);
  const store = await createBenchStore(args.store);
  let capstan;
  try {
    capstan = await measureCapstan(store, data);
  } finally {
    await store.cleanup();
  }
  progress(`capstan ${args.store}: ${capstan.valuesPerSecond} values/s, p50 ${capstan.latencyMs.p50} ms`);
  const baseStore = await createBenchStore(args.store);
  let baseline;
  try {
    progress(`baseline ${args.store}: raw driver, ${capstan.batches} batches`);
    baseline = await measureBaseline(baseStore, data, capstan.batches);
  } finally {
    await baseStore.cleanup();
  }
  progress(`baseline ${args.store}: ${baseline.valuesPerSecond} values/s`);
  const { runIds: _runIds, ...results } = capstan;
  emit({
    benchmark: 'log-batch-ingest',
    store: args.store,
    machine,
    date,
    results: {
      clients,
      runs: clients,
      metricsPerBatch: METRICS_PER_BATCH,
      keysPerBatch: KEYS,
      warmupBatches: warmup,
      ...results,
      serverCpuMsPerBatch: round(results.cpu.serverMs / results.batches, 2),
      postgresCpuMsPerBatch: round(results.cpu.postgresMs / results.batches, 2),
      floorOverCapstan: round(baseline.valuesPerSecond / results.valuesPerSecond, 2),
    },
    baseline,
    target: { valuesPerSecond: TARGET_VALUES_PER_SECOND },
    pass: results.valuesPerSecond >= TARGET_VALUES_PER_SECOND && results.rowsStored === (warmup + results.batches) * METRICS_PER_BATCH,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
