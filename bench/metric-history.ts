/**
 * get-history of one metric logged at 100,000 steps (through log-batch, 1000 per batch), all
 * points in one response. Baseline, same run: the same SELECT of those rows through the raw
 * driver (better-sqlite3 / pg) on the same database, interleaved with the requests. Then VACUUM
 * ANALYZE (PostgreSQL) / ANALYZE (SQLite) and a shorter second measurement.
 *
 *   npx tsx bench/metric-history.ts [--store sqlite|postgres] [--steps 100000] [--iterations 20]
 *     [--after-vacuum 10] [--profile DIR] [--keep 1]
 */
import type { GetMetricHistoryResponse } from '@capstan/contracts';
import { parseBenchArgs } from './lib/args.js';
import { CpuMeter } from './lib/cpu.js';
import { HttpClient, runPool } from './lib/http.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { createExperiment, createRun, rpcPath } from './lib/mlflow.js';
import { seededRandom } from './lib/rand.js';
import { openRaw } from './lib/raw.js';
import { startCapstan } from './lib/server.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore } from './lib/store.js';

const TARGET_P50_MS = 300;
const BATCH = 1000;
const KEY = 'loss';
const T0 = 1_700_000_000_000;

const args = parseBenchArgs({ steps: 100_000, iterations: 20, warmup: 2, concurrency: 4, 'after-vacuum': 10, keep: 0 });
const { steps, iterations, warmup, concurrency } = args.numbers;
const afterVacuum = args.numbers['after-vacuum'];

/** The query Capstan's getMetricHistory runs (packages/server/src/modules/tracking/metrics/metric-history.ts). */
const HISTORY_SQL =
  'select key, value, is_nan, timestamp, step from metrics where run_uuid = ? and key = ? order by step, timestamp, value';

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const date = new Date().toISOString();
  const store = await createBenchStore(args.store);
  const server = await startCapstan({
    backendStoreUri: store.uri,
    artifactsDir: `${store.dir}/artifacts`,
    ...(args.profileDir ? { cpuProfileDir: args.profileDir } : {}),
  });
  const http = new HttpClient(server.url, concurrency);
  const raw = openRaw(store);
  try {
    const experimentId = await createExperiment(http, 'history-bench');
    const runId = await createRun(http, experimentId, 'long-run', T0);
    const rand = seededRandom(3);
    const batches = Math.ceil(steps / BATCH);
    progress(`${args.store}: logging ${steps} steps of '${KEY}' in ${batches} batches`);
    const logStart = performance.now();
    await runPool(batches, concurrency, async (b) => {
      const metrics = [];
      for (let step = b * BATCH; step < Math.min(steps, (b + 1) * BATCH); step++) {
        metrics.push({ key: KEY, value: rand(), timestamp: T0 + step, step });
      }
      await http.post(rpcPath('logBatch'), { run_id: runId, metrics });
    });
    const logSeconds = (performance.now() - logStart) / 1000;

    const path = `${rpcPath('getMetricHistory')}?run_id=${runId}&metric_key=${KEY}`;
    for (let i = 0; i < warmup; i++) {
      await http.get(path);
      await raw.all(HISTORY_SQL, [runId, KEY]);
    }
    let bytes = 0;
    let points = 0;
    let rawRows = 0;
    /** get-history and the raw SELECT, interleaved so a disturbance hits both alike. */
    const measure = async (count: number) => {
      const latencies: number[] = [];
      const rawLatencies: number[] = [];
      const meter = new CpuMeter(server.pid, store.databaseName);
      await meter.begin();
      for (let i = 0; i < count; i++) {
        const res = await http.get(path);
        latencies.push(res.ms);
        bytes = res.bytes;
        // Parsing 100,000 points costs the client tens of ms: only once, outside the timed request.
        if (i === 0) points = (JSON.parse(res.text) as GetMetricHistoryResponse).metrics?.length ?? 0;
        const started = performance.now();
        rawRows = (await raw.all(HISTORY_SQL, [runId, KEY])).length;
        rawLatencies.push(performance.now() - started);
      }
      return { latencies, rawLatencies, cpu: await meter.end() };
    };
    progress(`${args.store}: measuring ${iterations} get-history requests and raw SELECTs`);
    const { latencies, rawLatencies, cpu } = await measure(iterations);
    // This PostgreSQL runs with autovacuum off: without VACUUM the index-only scan still visits
    // every heap row (visibility map unset). Measure again after what autovacuum would do.
    const maintenance = store.kind === 'postgres' ? 'vacuum analyze metrics' : 'analyze';
    progress(`${args.store}: ${maintenance}, then ${afterVacuum} more iterations`);
    await raw.all(maintenance);
    const after = await measure(afterVacuum);

    const results = {
      steps,
      logging: { batches, seconds: round(logSeconds, 2), valuesPerSecond: Math.round(steps / logSeconds) },
      iterations,
      points,
      bytes,
      bytesPerPoint: round(bytes / Math.max(1, points), 1),
      latencyMs: summarize(latencies),
      cpu,
      serverCpuMsPerRequest: round(cpu.serverMs / iterations, 1),
      postgresCpuMsPerRequest: round(cpu.postgresMs / iterations, 1),
      afterMaintenance: { statement: maintenance, iterations: afterVacuum, latencyMs: summarize(after.latencies) },
    };
    const baseline = {
      method: `${args.store === 'sqlite' ? 'better-sqlite3 .all()' : 'pg pool.query (BIGINT parsed as number)'}: ${HISTORY_SQL}`,
      rows: rawRows,
      latencyMs: summarize(rawLatencies),
      afterMaintenance: { latencyMs: summarize(after.rawLatencies) },
    };
    progress(`${args.store}: get-history p50 ${results.latencyMs.p50} ms, raw select p50 ${baseline.latencyMs.p50} ms`);
    emit({
      benchmark: 'metric-history',
      store: args.store,
      machine,
      date,
      results,
      baseline,
      target: { p50Ms: TARGET_P50_MS, judgedOn: 'results.latencyMs.p50, before VACUUM/ANALYZE' },
      pass: points === steps && rawRows === steps && results.latencyMs.p50 < TARGET_P50_MS,
    });
  } finally {
    await raw.close();
    http.close();
    await server.stop();
    // --keep 1 leaves the database for inspection (EXPLAIN etc.); remove it by hand afterwards.
    if (args.numbers.keep) progress(`kept ${store.uri} (${store.dir})`);
    else await store.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
