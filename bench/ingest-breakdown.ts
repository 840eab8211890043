/**
 * Diagnostic for log-batch-ingest: where one 1000-metric batch's server time goes, in process,
 * step by step, on a fresh database with Capstan's schema. It replays what RunLogging.logBatch
 * does (packages/server/src/modules/tracking/runs/run-logging.ts) with the same Kysely query
 * shapes, times each step, and times cheaper ways to write the same rows. Methods are interleaved
 * batch by batch so a disturbance hits them alike. Prints JSON (p50 ms per batch).
 *
 *   npx tsx bench/ingest-breakdown.ts [--store sqlite|postgres] [--batches 200]
 */
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { MetricsTable, TrackingTables } from '../packages/server/src/modules/tracking/tables.js';
import { trackingSchema } from '../packages/server/src/modules/tracking/migrations/0001-tracking.js';
import { parseBenchArgs } from './lib/args.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { seededRandom } from './lib/rand.js';
import { round, summarize } from './lib/stats.js';
import { createBenchStore, openPgPool } from './lib/store.js';

const args = parseBenchArgs({ batches: 200 });
const BATCHES = args.numbers.batches;
const ROWS = 1000;
const KEYS = 10;
const T0 = 1_700_000_000_000;

/** One stored metric point, exactly as the server's schema has it. */
type Row = MetricsTable;

const rand = seededRandom(11);
function batchRows(runId: string, i: number): Row[] {
  return Array.from({ length: ROWS }, (_, j) => {
    const step = i * (ROWS / KEYS) + Math.floor(j / KEYS);
    return { run_uuid: runId, key: `m${j % KEYS}`, value: rand(), is_nan: 0, timestamp: T0 + step, step, model_id: '', dataset_name: '', dataset_digest: '' };
  });
}

/** The request body the server parses, and the wire metrics it maps to rows. */
function wireBody(rows: readonly Row[]): string {
  return JSON.stringify({ run_id: rows[0]!.run_uuid, metrics: rows.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, step: r.step })) });
}

type Db = Kysely<TrackingTables>;

/** Capstan's metrics INSERT, as writeMetrics builds it. */
function compileInsert(db: Db, rows: Row[]): CompiledQuery {
  return db.insertInto('metrics').values(rows).onConflict((oc) => oc.doNothing()).compile();
}

/** Capstan's latest_metrics read and upsert for the batch's keys (the batch always wins here). */
function compileLatest(db: Db, runId: string, rows: readonly Row[]): { select: CompiledQuery; upsert: CompiledQuery } {
  const best = new Map<string, Row>();
  for (const r of rows) best.set(r.key, r);
  const select = db.selectFrom('latest_metrics').selectAll().where('run_uuid', '=', runId).where('key', 'in', [...best.keys()]).compile();
  const upsert = db
    .insertInto('latest_metrics')
    .values([...best.values()].map((m) => ({ run_uuid: runId, key: m.key, value: m.value, is_nan: 0, timestamp: m.timestamp, step: m.step })))
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        is_nan: eb.ref('excluded.is_nan'),
        timestamp: eb.ref('excluded.timestamp'),
        step: eb.ref('excluded.step'),
      })),
    )
    .compile();
  return { select, upsert };
}

type Timings = Record<string, number[]>;
function time<T>(timings: Timings, name: string, f: () => T): T {
  const started = performance.now();
  const out = f();
  (timings[name] ??= []).push(performance.now() - started);
  return out;
}
async function timeAsync<T>(timings: Timings, name: string, f: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await f();
  (timings[name] ??= []).push(performance.now() - started);
  return out;
}

const METHODS = ['capstan', 'cachedStatement', 'perRowPrepared', 'unnest'] as const;

async function createRuns(db: Db): Promise<string[]> {
  const ids = METHODS.map((_, m) => `run${m}`.padEnd(32, '0'));
  for (const id of ids) {
    await db
      .insertInto('runs')
      .values({ run_uuid: id, experiment_id: 0, name: id, user_id: 'u', status: 'RUNNING', start_time: T0, end_time: null, deleted_time: null, lifecycle_stage: 'active', artifact_uri: '' })
      .execute();
  }
  return ids;
}

async function sqliteBreakdown(path: string): Promise<Timings> {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<TrackingTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  await trackingSchema.up(db as unknown as Kysely<unknown>, 'sqlite');
  const [capstanRun, cachedRun, perRowRun] = await createRuns(db);
  const t: Timings = {};
  const cols = '(run_uuid, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest)';
  const perRow = sqlite.prepare(`insert into metrics ${cols} values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`);
  const statementCache = new Map<string, Database.Statement>();
  for (let i = 0; i < BATCHES; i++) {
    // What Capstan does, step by step.
    const rows = batchRows(capstanRun!, i);
    const body = wireBody(rows);
    time(t, 'capstan.1 JSON.parse body', () => JSON.parse(body) as unknown);
    const run = time(t, 'capstan.2 select run (compile+prepare+get)', () => {
      const q = db.selectFrom('runs').selectAll().where('run_uuid', '=', capstanRun!).compile();
      return sqlite.prepare(q.sql).get(...q.parameters);
    });
    if (!run) throw new Error('run missing');
    const all = time(t, 'capstan.total SQL steps', () => {
      sqlite.prepare('begin immediate').run();
      const q = time(t, 'capstan.3 kysely build+compile metrics INSERT', () => compileInsert(db, rows));
      const stmt = time(t, 'capstan.4 better-sqlite3 prepare metrics INSERT (9000 params)', () => sqlite.prepare(q.sql));
      time(t, 'capstan.5 run metrics INSERT', () => stmt.run(...q.parameters));
      const latest = time(t, 'capstan.6 kysely compile latest_metrics select+upsert', () => compileLatest(db, capstanRun!, rows));
      time(t, 'capstan.7 latest_metrics select+upsert (prepare+run)', () => {
        sqlite.prepare(latest.select.sql).all(...latest.select.parameters);
        sqlite.prepare(latest.upsert.sql).run(...latest.upsert.parameters);
      });
      time(t, 'capstan.8 commit', () => sqlite.prepare('commit').run());
    });
    void all;

    // The same INSERT through a statement cache keyed by SQL text (prepare once, bind each time).
    const cachedRows = batchRows(cachedRun!, i);
    time(t, 'alt.cachedStatement: kysely compile + cached multi-row INSERT, in a transaction', () => {
      const q = compileInsert(db, cachedRows);
      let stmt = statementCache.get(q.sql);
      if (!stmt) statementCache.set(q.sql, (stmt = sqlite.prepare(q.sql)));
      sqlite.transaction(() => stmt.run(...q.parameters))();
    });
    // The storage floor of the baseline: one cached single-row statement run 1000 times.
    const perRowRows = batchRows(perRowRun!, i);
    time(t, 'alt.perRowPrepared: 1000 x cached single-row INSERT, in a transaction', () => {
      sqlite.transaction(() => {
        for (const r of perRowRows) perRow.run(r.run_uuid, r.key, r.value, r.is_nan, r.timestamp, r.step, r.model_id, r.dataset_name, r.dataset_digest);
      })();
    });
  }
  await db.destroy();
  return t;
}

async function postgresBreakdown(url: string): Promise<Timings> {
  const pool: pg.Pool = openPgPool(url, 1);
  const db = new Kysely<TrackingTables>({ dialect: new PostgresDialect({ pool }) });
  await trackingSchema.up(db as unknown as Kysely<unknown>, 'postgres');
  const [capstanRun, cachedRun, , unnestRun] = await createRuns(db);
  const client = await pool.connect();
  const t: Timings = {};
  const q = async (text: string, values: readonly unknown[] = [], name?: string) =>
    client.query({ text, values: [...values], ...(name ? { name } : {}) });
  try {
    for (let i = 0; i < BATCHES; i++) {
      const rows = batchRows(capstanRun!, i);
      const body = wireBody(rows);
      time(t, 'capstan.1 JSON.parse body', () => JSON.parse(body) as unknown);
      await timeAsync(t, 'capstan.total SQL steps', async () => {
        await timeAsync(t, 'capstan.2 begin + select run', async () => {
          await q('begin');
          const sel = db.selectFrom('runs').selectAll().where('run_uuid', '=', capstanRun!).compile();
          await q(sel.sql, sel.parameters);
        });
        const ins = time(t, 'capstan.3 kysely build+compile metrics INSERT', () => compileInsert(db, rows));
        await timeAsync(t, 'capstan.5 metrics INSERT (9000 params: parse+plan+execute)', () => q(ins.sql, ins.parameters));
        const latest = time(t, 'capstan.6 kysely compile latest_metrics select+upsert', () => compileLatest(db, capstanRun!, rows));
        await timeAsync(t, 'capstan.7 latest_metrics select+upsert', async () => {
          await q(latest.select.sql, latest.select.parameters);
          await q(latest.upsert.sql, latest.upsert.parameters);
        });
        await timeAsync(t, 'capstan.8 commit', () => q('commit'));
      });

      // The same INSERT as a named prepared statement: parsed and planned once per connection.
      const cachedRows = batchRows(cachedRun!, i);
      await timeAsync(t, 'alt.cachedStatement: kysely compile + named prepared multi-row INSERT', async () => {
        const ins = compileInsert(db, cachedRows);
        await q(ins.sql, ins.parameters, 'metrics_insert_1000');
      });
      // Nine array parameters instead of 9000 scalars: a tiny statement to parse and plan.
      const unnestRows = batchRows(unnestRun!, i);
      await timeAsync(t, 'alt.unnest: INSERT ... SELECT FROM unnest(9 arrays)', async () => {
        const col = <K extends keyof Row>(k: K) => unnestRows.map((r) => r[k]);
        await q(
          `insert into metrics (run_uuid, key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest)
           select * from unnest($1::text[], $2::text[], $3::float8[], $4::int[], $5::int8[], $6::int8[], $7::text[], $8::text[], $9::text[])
           on conflict do nothing`,
          [col('run_uuid'), col('key'), col('value'), col('is_nan'), col('timestamp'), col('step'), col('model_id'), col('dataset_name'), col('dataset_digest')],
          'metrics_unnest',
        );
      });
    }
  } finally {
    client.release();
    await db.destroy();
  }
  return t;
}

async function main(): Promise<void> {
  const machine = await machineInfo(args.waitQuiet);
  const store = await createBenchStore(args.store);
  let timings: Timings;
  try {
    progress(`${args.store}: ${BATCHES} batches per method`);
    timings = store.sqlitePath ? await sqliteBreakdown(store.sqlitePath) : await postgresBreakdown(store.postgresUrl!);
  } finally {
    await store.cleanup();
  }
  const steps = Object.fromEntries(
    Object.entries(timings)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, samples]) => {
        const s = summarize(samples.slice(Math.floor(samples.length / 10)));
        return [name, { p50: s.p50, mean: round(s.mean), p99: s.p99 }];
      }),
  );
  emit({
    benchmark: 'ingest-breakdown',
    store: args.store,
    machine,
    date: new Date().toISOString(),
    results: { batches: BATCHES, rowsPerBatch: ROWS, msPerBatch: steps, note: 'first 10% of batches dropped as warm-up' },
    baseline: { step: 'alt.perRowPrepared (SQLite) / alt.unnest (PostgreSQL) rows above' },
    target: {},
    pass: true,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
