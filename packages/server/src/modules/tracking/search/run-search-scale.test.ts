import { sql, type Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../adapters/sql/test-support/test-databases.js';
import { encodePageToken } from './page-token.js';
import { planRunSearch, searchRunIds, type RunSearchQuery } from './run-search-sql.js';
import { insertChunked, insertExperiment, type Db, useSeededTrackingDb } from './test-support/seed.js';

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

describe.each(TEST_DIALECTS)('searchRunIds at scale on %s', (dialect) => {
  const fixture = useSeededTrackingDb(dialect, async (db) => {
    await seedScale(db);
    // PostgreSQL's autovacuum gathers planner statistics after bulk loads; do it now rather than
    // wait. SQLite gets none, as in production: its plan must not depend on sqlite_stat1.
    if (dialect === 'postgres') await sql`analyze`.execute(db);
  }, 180_000);
  const query: RunSearchQuery = { experimentIds: [1], filter: 'metrics.m3 > 0.5', runViewType: 'ACTIVE_ONLY', orderBy: ['metrics.m7 DESC'], maxResults: 100 };

  // Speed is measured by bench/search-runs.ts, never here; these check the two strategies agree.
  it('returns pages of 100 with a token, deep pages included', async () => {
    const page = await searchRunIds(fixture.db, query);
    expect(page.runIds).toHaveLength(100);
    expect(page.nextPageToken).toBeDefined();
    const full = (await planRunSearch(fixture.db, query)!.all.query(4100, 0).execute()).map((r) => r.run_uuid);
    expect(page.runIds).toEqual(full.slice(0, 100));
    const deep = await searchRunIds(fixture.db, { ...query, pageToken: encodePageToken(4000) });
    expect(deep.runIds).toEqual(full.slice(4000, 4100));
  });

  it('orders identically whether streamed from the index or sorted in full', async () => {
    const plan = planRunSearch(fixture.db, { ...query, maxResults: 1000 })!;
    const full = (await plan.all.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    const head = (await plan.split!.head.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    const tail = (await plan.split!.tail.query(RUNS, 0).execute()).map((r) => r.run_uuid);
    expect(full.length).toBeGreaterThan(4000);
    expect([...head, ...tail]).toEqual(full);
  });

  it('reads every table through an index', async () => {
    const plan = planRunSearch(fixture.db, query)!;
    const head = await explain(fixture.db, dialect, plan.split!.head.query(101, 0));
    const all = await explain(fixture.db, dialect, plan.all.query(101, 0));
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
