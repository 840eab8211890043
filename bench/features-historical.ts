/**
 * Historical (point-in-time) feature retrieval on the DuckDB offline store
 * (packages/server/src/adapters/duckdb/offline).
 *
 * - Case 1: 1,000,000 entity rows (in-memory columns) against a 1,000,000-row feature view
 *   (Parquet, 10,000 drivers, 3 features), TTL 0: historical() ("engine") and toColumns(), median
 *   of `--rounds` warm rounds, plus the first (cold) round, which also loads DuckDB.
 * - Case 2: 17,000 entity rows against 10 views of `--wide-view-rows` rows with 100 features each
 *   (1,000 features), with the process's peak RSS.
 * - Baseline in the same run: pandas merge_asof on the same data (Debian's python3-pandas at
 *   /usr/bin/python3, which builds it from the same integer formulas since pyarrow is not
 *   available), with its sorts, and with deduplication and restoring entity order as Capstan does.
 *
 * Each case runs in a child process of its own so that peak RSS is the case's alone; the data is
 * generated first (Parquet written by DuckDB) into a temporary folder removed at the end.
 *
 *   npx tsx bench/features-historical.ts [--entity-rows 1000000] [--view-rows 1000000]
 *     [--wide-entity-rows 17000] [--wide-view-rows 100000] [--rounds 3] [--wait-quiet 120]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EntityTable, OfflineViewQuery } from '../packages/server/src/ports/offline-store.js';
import { createDuckdbOfflineStore } from '../packages/server/src/adapters/duckdb/offline/duckdb-offline-store.js';
import { parseBenchArgs } from './lib/args.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';

const PYTHON = '/usr/bin/python3';
const CHILD_CASE = process.env.FEATURES_BENCH_CASE;
const CHILD_DIR = process.env.FEATURES_BENCH_DIR;

const TARGET = { case1TotalSeconds: 2, case2TotalSeconds: 10, case2PeakRssMiB: 4096 };

/** The data's formulas, shared with bench/features-historical-pandas.py. */
const SHAPE = {
  drivers: 10_000,
  t0Seconds: 1_704_067_200,
  spanSeconds: 8_640_000,
  viewTimeStep: 104_729,
  entityTimeStep: 7_477,
  entityTimeOffset: 3_600,
  entityDriverStep: 7_919,
};
const WIDE_VIEWS = 10;
const WIDE_FEATURES = 100;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const seconds = (from: number): number => (performance.now() - from) / 1000;

/** View row i of case 1 (and, with extra features, of case 2's views). */
function viewSelect(rows: number, features: string[]): string {
  const { drivers, t0Seconds, spanSeconds, viewTimeStep } = SHAPE;
  const ts = `(${t0Seconds} + (i * ${viewTimeStep}) % ${spanSeconds})`;
  return `SELECT (i % ${drivers})::BIGINT AS driver_id, make_timestamp(${ts} * 1000000) AS event_timestamp,
    make_timestamp((${ts} + i % 60) * 1000000) AS created, ${features.join(', ')} FROM range(${rows}) t(i)`;
}

const CASE1_FEATURES = [
  '(((i * 31) % 1000) / 1000)::FLOAT AS conv_rate',
  '(((i * 17) % 997) / 997)::DOUBLE AS acc_rate',
  '((i * 13) % 100)::BIGINT AS avg_daily_trips',
];

/** Case 2's features: float64, float32 and int64 in turn, each from its own multiplier. */
function wideFeature(view: number, k: number): { sql: string; name: string; dtype: 'float64' | 'float32' | 'int64' } {
  const name = `v${view}_f${k}`;
  const m = 7 + 2 * k + 211 * view;
  if (k % 3 === 0) return { name, dtype: 'int64', sql: `((i * ${m}) % 1000)::BIGINT AS ${name}` };
  if (k % 3 === 1) return { name, dtype: 'float32', sql: `(((i * ${m}) % 1000) / 1000)::FLOAT AS ${name}` };
  return { name, dtype: 'float64', sql: `(((i * ${m}) % 9973) / 9973)::DOUBLE AS ${name}` };
}

async function generate(dir: string, viewRows: number, wideViewRows: number): Promise<void> {
  await mkdir(join(dir, 'case1'));
  await mkdir(join(dir, 'case2'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${viewSelect(viewRows, CASE1_FEATURES)}) TO '${join(dir, 'case1/driver_stats.parquet')}' (FORMAT parquet)`);
    for (let v = 0; v < WIDE_VIEWS; v++) {
      const features = Array.from({ length: WIDE_FEATURES }, (_, k) => wideFeature(v, k).sql);
      await connection.run(`COPY (${viewSelect(wideViewRows, features)}) TO '${join(dir, `case2/view_${v}.parquet`)}' (FORMAT parquet)`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function entityTable(rows: number): EntityTable {
  const { drivers, t0Seconds, spanSeconds, entityTimeStep, entityTimeOffset, entityDriverStep } = SHAPE;
  const driverId = new Array<number>(rows);
  const eventTimestamp = new Array<number>(rows);
  for (let j = 0; j < rows; j++) {
    driverId[j] = (j * entityDriverStep) % drivers;
    eventTimestamp[j] = (t0Seconds + ((j * entityTimeStep + entityTimeOffset) % spanSeconds)) * 1000;
  }
  return {
    kind: 'columns',
    columns: { driver_id: driverId, event_timestamp: eventTimestamp },
    timestampColumn: 'event_timestamp',
    fields: [{ name: 'driver_id', dtype: 'int64' }],
  };
}

function viewQuery(name: string, path: string, features: { name: string; dtype: 'float64' | 'float32' | 'int64' }[]): OfflineViewQuery {
  return {
    view: name,
    source: { location: { kind: 'files', format: 'parquet', path }, timestampField: 'event_timestamp', createdTimestampColumn: 'created', fieldMapping: {} },
    joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
    features: features.map((f) => ({ ...f, outputName: `${name}__${f.name}` })),
    ttlMs: 0,
  };
}

/** Runs one case's rounds in this (child) process and prints its figures as JSON. */
async function runCase(which: string, dir: string): Promise<void> {
  const { numbers } = parseBenchArgs({ 'entity-rows': 1_000_000, 'view-rows': 1_000_000, 'wide-entity-rows': 17_000, 'wide-view-rows': 100_000, rounds: 3 });
  const wide = which === 'case2';
  const entities = entityTable(wide ? numbers['wide-entity-rows'] : numbers['entity-rows']);
  const views = wide
    ? Array.from({ length: WIDE_VIEWS }, (_, v) => viewQuery(`view_${v}`, `case2/view_${v}.parquet`, Array.from({ length: WIDE_FEATURES }, (_, k) => wideFeature(v, k))))
    : [viewQuery('driver_stats', 'case1/driver_stats.parquet', [
        { name: 'conv_rate', dtype: 'float32' },
        { name: 'acc_rate', dtype: 'float64' },
        { name: 'avg_daily_trips', dtype: 'int64' },
      ])];
  const store = createDuckdbOfflineStore({ root: dir });
  const engine: number[] = [];
  const toColumns: number[] = [];
  const cpu: number[] = [];
  let check: Record<string, number> = {};
  try {
    for (let r = 0; r <= numbers.rounds; r++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const result = await store.historical(entities, views);
      engine.push(seconds(started));
      const read = performance.now();
      const columns = await result.toColumns();
      toColumns.push(seconds(read));
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1e6);
      await result.release();
      const trips = columns[wide ? 'view_0__v0_f0' : 'driver_stats__avg_daily_trips']!;
      let matched = 0;
      let tripsSum = 0;
      for (const v of trips) {
        if (typeof v !== 'number') continue;
        matched += 1;
        tripsSum += v;
      }
      check = { rows: trips.length, columns: Object.keys(columns).length, matched, tripsSum };
    }
  } finally {
    await store.close();
  }
  const total = engine.map((e, i) => e + toColumns[i]!);
  const warm = (xs: number[]) => ({ median: round(median(xs.slice(1))), min: round(Math.min(...xs.slice(1))) });
  process.stdout.write(
    `${JSON.stringify({
      entityRows: entities.kind === 'columns' ? entities.columns.driver_id!.length : 0,
      views: views.length,
      features: views.reduce((n, v) => n + v.features.length, 0),
      viewRowsEach: wide ? numbers['wide-view-rows'] : numbers['view-rows'],
      engineSeconds: warm(engine),
      toColumnsSeconds: warm(toColumns),
      totalSeconds: warm(total),
      // All threads (DuckDB's workers included): unlike wall time, not inflated by other processes.
      totalCpuSeconds: warm(cpu),
      coldFirstRoundSeconds: { engine: round(engine[0]!), toColumns: round(toColumns[0]!), total: round(total[0]!) },
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      check,
    })}\n`,
  );
}

function runChild(which: string, dir: string): Record<string, unknown> {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    env: { ...process.env, FEATURES_BENCH_CASE: which, FEATURES_BENCH_DIR: dir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${which} failed with status ${result.status}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

function pandasBaseline(entityRows: number, viewRows: number): Record<string, unknown> {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const script = fileURLToPath(new URL('./features-historical-pandas.py', import.meta.url));
  const result = spawnSync(PYTHON, [script, JSON.stringify({ ...SHAPE, entityRows, viewRows })], { encoding: 'utf8' });
  if (result.status !== 0) return { skipped: `python3 failed: ${result.stderr.slice(0, 300)}` };
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const args = parseBenchArgs({ 'entity-rows': 1_000_000, 'view-rows': 1_000_000, 'wide-entity-rows': 17_000, 'wide-view-rows': 100_000, rounds: 3 });
  const machine = await machineInfo(args.waitQuiet);
  const dir = await mkdtemp(join(tmpdir(), 'capstan-bench-features-'));
  try {
    progress(`generating data in ${dir}`);
    const generated = performance.now();
    await generate(dir, args.numbers['view-rows'], args.numbers['wide-view-rows']);
    const generateSeconds = round(seconds(generated), 1);
    progress('case 1: 1M x 1M');
    const case1 = runChild('case1', dir);
    progress('case 2: 17k rows x 10 views x 100 features');
    const case2 = runChild('case2', dir);
    progress('pandas merge_asof baseline');
    const pandas = pandasBaseline(args.numbers['entity-rows'], args.numbers['view-rows']);

    const total1 = (case1.totalSeconds as { median: number }).median;
    const total2 = (case2.totalSeconds as { median: number }).median;
    const rss2 = case2.peakRssMiB as number;
    const pandasCheck = pandas.check as { matched: number; tripsSum: number } | undefined;
    const ourCheck = case1.check as { matched: number; tripsSum: number };
    emit({
      benchmark: 'features-historical',
      store: 'none',
      machine: { cpus: machine.cpus, cpuModel: machine.cpuModel, node: machine.node },
      date: new Date().toISOString(),
      results: {
        case1,
        case2,
        generateSeconds,
        sameAnswerAsPandas: pandasCheck === undefined ? 'not checked' : pandasCheck.matched === ourCheck.matched && pandasCheck.tripsSum === ourCheck.tripsSum,
        machineLoad: { loadavg1AtStart: machine.loadavg1AtStart, busyShareAtStart: machine.busyShareAtStart },
      },
      baseline: { pandasMergeAsof: pandas },
      target: TARGET,
      pass: total1 < TARGET.case1TotalSeconds && total2 < TARGET.case2TotalSeconds && rss2 < TARGET.case2PeakRssMiB,
      notes: [
        'engine = historical(): entity rows appended to DuckDB, each view deduplicated and ASOF-matched to source positions; toColumns() gathers the features of the matched positions and converts them; total = both',
        'median and min of warm rounds; coldFirstRound includes loading DuckDB',
        'totalCpuSeconds: CPU time of the process (all threads) over historical() + toColumns(); on 2 cores wall time can be as low as about half of it',
        'sameAnswerAsPandas compares matched rows and the sum of avg_daily_trips over case 1',
      ],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const run = CHILD_CASE !== undefined && CHILD_DIR !== undefined ? runCase(CHILD_CASE, CHILD_DIR) : main();
run.catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
