import { sql, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../adapters/sql/test-support/test-databases.js';
import { trackingMigrations } from '../migrations/index.js';
import type { TrackingTables } from '../tables.js';
import { encodePageToken } from './page-token.js';
import { planRunSearch, searchRunIds, type RunSearchQuery } from './run-search-sql.js';
import { insertChunked, insertExperiment, type Db } from './test-support/seed.js';

const RUNS = 10_000;
const KEYS = 20;

/** 10,000 runs with 20 params and 20 metrics each (1% of metric values NaN). */
async function seedScale(db: Db): Promise<void> {
  await insertExperiment(db, 1, 'big');
  // A fixed pseudo-random sequence keeps data, and so timings, comparable between runs.
  let state = 42;
  const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const runs = [];
  const params = [];
  const metrics = [];
  for (let r = 0; r < RUNS; r++) {
    const id = r.toString(16).padStart(32, '0');
    runs.push({ run_uuid: id, experiment_id: 1, name: `run-${r}`, user_id: 'u', status: 'FINISHED' as const, start_time: r, end_time: r + 5, deleted_time: null, lifecycle_stage: 'active' as const, artifact_uri: '' });
    for (let k = 0; k < KEYS; k++) {
      params.push({ run_uuid: id, key: `p${k}`, value: `v${Math.floor(rand() * 10)}` });
      const nan = rand() < 0.01;
      metrics.push({ run_uuid: id, key: `m${k}`, value: nan ? 0 : rand(), is_nan: nan ? 1 : 0, timestamp: 1, step: 0 });
    }
  }
  await insertChunked(db, 'runs', runs, 500);
  await insertChunked(db, 'run_params', params);
  await insertChunked(db, 'latest_metrics', metrics);
}

async function medianMs(times: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(times / 2)]!;
}

describe.each(TEST_DIALECTS)('searchRunIds at scale on %s', (dialect) => {
  let t: TestDatabase<TrackingTables>;
  let db: Db;
  const query: RunSearchQuery = { experimentIds: [1], filter: 'metrics.m3 > 0.5', runViewType: 'ACTIVE_ONLY', orderBy: ['metrics.m7 DESC'], maxResults: 100 };

  beforeAll(async () => {
    t = await createTestDatabase<TrackingTables>(dialect);
    await migrateToLatest(t.database, trackingMigrations);
    db = t.database.db;
    await seedScale(db);
    // PostgreSQL's autovacuum gathers planner statistics after bulk loads; do it now rather than
    // wait. SQLite gets none, as in production: its plan must not depend on sqlite_stat1.
    if (dialect === 'postgres') await sql`analyze`.execute(db);
  }, 180_000);

  afterAll(async () => {
    await t.cleanup();
  });

  it('returns a page of 100 runs filtered by one metric and ordered by another quickly', async () => {
    const page = await searchRunIds(db, query);
    expect(page.runIds).toHaveLength(100);
    expect(page.nextPageToken).toBeDefined();
    const ms = await medianMs(9, () => searchRunIds(db, query));
    console.log(`[${dialect}] 10k runs, metric filter + metric order_by, first page of 100: median ${ms.toFixed(1)} ms`);
    const full = planRunSearch(db, query)!.all;
    const fullMs = await medianMs(5, () => full.query(101, 0).execute());
    const deep = { ...query, pageToken: encodePageToken(4000) };
    const deepMs = await medianMs(5, () => searchRunIds(db, deep));
    console.log(`[${dialect}] same search sorted in full: ${fullMs.toFixed(1)} ms; page at offset 4000: ${deepMs.toFixed(1)} ms`);
    // The target is the embedded SQLite default; PostgreSQL's timing is informative only.
    if (dialect === 'sqlite') expect(ms).toBeLessThan(50);
  });

  it('orders identically whether streamed from the index or sorted in full', async () => {
    const plan = planRunSearch(db, { ...query, maxResults: 1000 })!;
    const full = (await plan.all.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    const head = (await plan.split!.head.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    const tail = (await plan.split!.tail.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    expect(full.length).toBeGreaterThan(4000);
    expect([...head, ...tail]).toEqual(full);
  });

  it('reads every table through an index', async () => {
    const plan = planRunSearch(db, query)!;
    const head = await explain(db, dialect, plan.split!.head.query(101, 0));
    const all = await explain(db, dialect, plan.all.query(101, 0));
    console.log(`[${dialect}] head plan:\n  ${head.join('\n  ')}\n[${dialect}] full plan:\n  ${all.join('\n  ')}`);
    if (dialect === 'sqlite') {
      expect(head[0]).toBe('SEARCH o USING INDEX latest_metrics_key_value (key=?)');
      expect(head).toContain('SEARCH runs USING INDEX sqlite_autoindex_runs_1 (run_uuid=?)');
      expect(head).toContain('SEARCH m USING INDEX sqlite_autoindex_latest_metrics_1 (run_uuid=? AND key=?)');
      expect(all).toContain('SEARCH runs USING INDEX runs_experiment_start (experiment_id=?)');
      expect(all).toContain('SEARCH o USING INDEX sqlite_autoindex_latest_metrics_1 (run_uuid=? AND key=?) LEFT-JOIN');
      for (const step of [...head, ...all]) expect(step).not.toMatch(/^SCAN /);
    } else {
      // PostgreSQL picks plans from statistics; the first page must still come off the index.
      expect(head.join('\n')).toMatch(/Index Scan( Backward)? using latest_metrics_key_value on latest_metrics o/);
      expect(head.join('\n')).not.toMatch(/Seq Scan on latest_metrics/);
    }
  });
});

async function explain(db: Db, dialect: string, query: Compilable): Promise<string[]> {
  const compiled = query.compile();
  const prefix = dialect === 'sqlite' ? 'explain query plan' : 'explain';
  const result = await db.executeQuery<Record<string, string>>({ ...sql.raw(`${prefix} ${compiled.sql}`).compile(db), parameters: compiled.parameters });
  return result.rows.map((r) => (dialect === 'sqlite' ? r.detail! : Object.values(r)[0]!));
}
