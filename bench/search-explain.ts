/**
 * Diagnostic for search-runs: on a database kept by `bench/search-runs.ts --keep 1`, runs the
 * server's own search code (searchRunIds + loadRuns, imported from the sources) with a Kysely
 * query log, times every SQL statement of one page, and prints EXPLAIN ANALYZE of the slow ones.
 * With `--analyze 1` it first runs ANALYZE (what autovacuum would do) and measures again.
 *
 *   node --conditions=source --import tsx bench/search-explain.ts --uri postgresql://.../capstan_bench_x
 *   node --conditions=source --import tsx bench/search-explain.ts --uri sqlite:////tmp/capstan-bench-x/capstan.db
 */
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import Database from 'better-sqlite3';
import { searchRunIds, type RunSearchQuery } from '../packages/server/src/modules/tracking/search/index.js';
import { loadRuns } from '../packages/server/src/modules/tracking/runs/run-reader.js';
import type { TrackingTables } from '../packages/server/src/modules/tracking/tables.js';
import { emit, progress } from './lib/log.js';
import { machineInfo } from './lib/machine.js';
import { round, summarize } from './lib/stats.js';
import { openPgPool } from './lib/store.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { uri: { type: 'string' }, analyze: { type: 'string' }, iterations: { type: 'string' }, explain: { type: 'string' } },
  strict: true,
});
const uri = values.uri;
if (!uri) throw new Error('--uri is required (a database kept by search-runs --keep 1)');
const iterations = Number(values.iterations ?? 10);
const postgres = uri.startsWith('postgres');

interface Logged {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

const log: Logged[] = [];
function onLog(event: LogEvent): void {
  log.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
}

const db = new Kysely<TrackingTables>({
  dialect: postgres
    ? new PostgresDialect({ pool: openPgPool(uri, 4) })
    : new SqliteDialect({ database: new Database(uri.replace(/^sqlite:\/\//, '').slice(1)) }),
  log: onLog,
});

/** A short, stable label for a statement: its first table and its shape. */
function label(text: string): string {
  const compact = text.replace(/\s+/g, ' ');
  const from = /from "?(\w+)"?/i.exec(compact)?.[1] ?? '?';
  const kind = compact.includes('latest_metrics as m') ? 'search (runs + latest_metrics subqueries)' : compact.startsWith('select "runs"."run_uuid"') ? 'search (runs)' : `loadRuns: ${from}`;
  return kind;
}

async function measure(name: string, q: RunSearchQuery) {
  const perStatement = new Map<string, number[]>();
  const pageMs: number[] = [];
  let slowest: Logged | undefined;
  for (let i = 0; i < iterations; i++) {
    log.length = 0;
    const started = performance.now();
    const page = await searchRunIds(db, q);
    const runs = await loadRuns(db, page.runIds);
    pageMs.push(performance.now() - started);
    if (runs.length !== 100) throw new Error(`expected 100 runs, got ${runs.length}`);
    for (const entry of log) {
      const key = label(entry.sql);
      perStatement.set(key, [...(perStatement.get(key) ?? []), entry.ms]);
      if (!slowest || entry.ms > slowest.ms) slowest = entry;
    }
  }
  return {
    name,
    pageMsWithoutHttp: summarize(pageMs),
    statementsMsP50: Object.fromEntries([...perStatement].map(([k, v]) => [k, round(summarize(v).p50)])),
    slowest,
  };
}

async function explain(entry: Logged): Promise<string[]> {
  if (!postgres) {
    const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(inline(entry))}`.execute(db);
    return rows.rows.map((r) => r.detail);
  }
  const rows = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${sql.raw(inline(entry))}`.execute(db);
  return rows.rows.map((r) => r['QUERY PLAN']);
}

/** Inlines parameters (ids, keys, numbers from our own data) so EXPLAIN can take the text. */
function inline(entry: Logged): string {
  const lit = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  if (postgres) return entry.sql.replace(/\$(\d+)/g, (_, n: string) => lit(entry.parameters[Number(n) - 1]));
  let i = 0;
  return entry.sql.replace(/\?/g, () => lit(entry.parameters[i++]));
}

async function round1(tag: string) {
  const experiment = await db.selectFrom('experiments').select('experiment_id').where('name', '=', 'search-bench').executeTakeFirstOrThrow();
  const base = { experimentIds: [experiment.experiment_id], runViewType: 'ACTIVE_ONLY' as const, maxResults: 100 };
  const out = [];
  for (const [name, q] of [
    ['filtered first page', { ...base, filter: 'metrics.m3 > 0.5', orderBy: ['metrics.m7 DESC'] }],
    ['plain first page', base],
  ] as const) {
    await measure(name, q); // warm-up
    const m = await measure(name, q);
    progress(`${tag} ${name}: ${m.pageMsWithoutHttp.p50} ms; ${JSON.stringify(m.statementsMsP50)}`);
    out.push({ ...m, slowest: m.slowest && { ms: round(m.slowest.ms), sql: m.slowest.sql, plan: values.explain === '0' ? [] : await explain(m.slowest) } });
  }
  return out;
}

async function main(): Promise<void> {
  const before = await round1('no ANALYZE');
  let after;
  if (values.analyze === '1') {
    await sql`analyze`.execute(db);
    after = await round1('after ANALYZE');
  }
  await db.destroy();
  emit({
    benchmark: 'search-explain',
    store: postgres ? 'postgres' : 'sqlite',
    machine: await machineInfo(0),
    date: new Date().toISOString(),
    results: { iterations, before, ...(after ? { afterAnalyze: after } : {}) },
    baseline: {},
    target: {},
    pass: true,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
