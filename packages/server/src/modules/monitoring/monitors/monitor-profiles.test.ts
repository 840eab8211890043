import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorProfileResponse, MonitorRun } from '@capstan/contracts';
import { migrateToLatest } from '../../../adapters/sql/migrate.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../adapters/sql/test-support/test-databases.js';
import { installErrorHandling } from '../../../app/http/error-handler.js';
import { MONITORING_DEFAULTS } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { tablesOf } from '../../../ports/sql.js';
import type { InferenceWindowPage, InferenceWindowQuery, LabeledInferenceRecord } from '../../serving/index.js';
import type { AccessControl } from '../../security/index.js';
import { createMonitoringModule, monitoringMigrations, type MonitoringModule, type MonitoringModuleOptions } from '../index.js';
import { profileColumns } from '../profiles/index.js';
import { monitorsSchema } from './migrations/0011-monitors.js';
import { RunStore } from './run-store.js';
import type { MonitoringTables } from './tables.js';
import { minstdRandom } from '../../../core/test-support/seeded-random.js';

const API = '/api/capstan/v1/monitoring/monitors';
const HOUR = 3_600_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);
const ROWS_PER_HOUR = 300;

/**
 * Monitors that store each run's current-window profile, the merge of those profiles over a range,
 * and a `profiles` reference, on SQLite and PostgreSQL. The monitoring module runs on its own (a
 * scripted inference log, access left to the access-matrix test), with a clock the test moves.
 */
describe.each(TEST_DIALECTS)('monitor profiles on %s', (dialect) => {
  let t: TestDatabase<unknown>;
  let monitoring: MonitoringModule;
  let app: FastifyInstance;
  let clock = T0;
  const log: LabeledInferenceRecord[] = [];
  const random = minstdRandom(dialect === 'sqlite' ? 17 : 29);
  const normal = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());

  /** An hour of traffic from `T0 + hour`: one row a request, `x` normal (shifted by `shift`), `plan` a category. */
  const logHour = (hour: number, shift = 0, rows = ROWS_PER_HOUR) => {
    for (let i = 0; i < rows; i++) {
      const at = T0 + hour * HOUR + Math.floor((i * HOUR) / rows);
      log.push({ id: log.length + 1, requestId: `r${log.length}`, deployment: 'fraud', modelName: 'm', version: '1', at, latencyMs: 1, rows: 1, inputs: { x: [normal() + shift], plan: [i % 3 === 0 ? 'pro' : 'free'] }, outputs: { y: [random()] } });
    }
  };
  const readWindow = async (q: InferenceWindowQuery): Promise<InferenceWindowPage> => {
    const all = log.filter((r) => r.deployment === q.deployment && r.at >= q.from && r.at < q.to && (!q.after || r.at > q.after.at || (r.at === q.after.at && r.id > q.after.id)));
    all.sort((a, b) => a.at - b.at || a.id - b.id);
    const page = all.slice(0, q.limit);
    const last = page[page.length - 1];
    return all.length > q.limit && last ? { records: page, next: { at: last.at, id: last.id } } : { records: page };
  };
  const access = { mode: 'none', readableCondition: () => undefined, noteChange: () => undefined } as unknown as AccessControl;

  const manifest = (name: string, overrides: Record<string, unknown> = {}) => ({
    name,
    deployment: 'fraud',
    reference: { type: 'window', from: T0, to: T0 + HOUR },
    window_seconds: 3600,
    interval_seconds: 3600,
    checks: { data_drift: {} },
    ...overrides,
  });
  /** PUT creates or replaces: 200 either way, `outcome` says which. */
  const put = (name: string, overrides: Record<string, unknown> = {}) => app.inject({ method: 'PUT', url: `${API}/${name}`, payload: manifest(name, overrides) });
  const runAt = async (name: string, at: number): Promise<MonitorRun> => {
    clock = at;
    const res = await app.inject({ method: 'POST', url: `${API}/${name}/run` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().run as MonitorRun;
  };
  const merged = async (name: string, query = ''): Promise<MonitorProfileResponse> => {
    const res = await app.inject({ method: 'GET', url: `${API}/${name}/profile${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MonitorProfileResponse;
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await migrateToLatest(t.database, monitoringMigrations);
    monitoring = createMonitoringModule({
      database: t.database,
      access,
      logger: createLogger('silent'),
      metricsRegistry: new Registry(),
      settings: { ...MONITORING_DEFAULTS, schedulerEnabled: false, maxWindowRows: 10_000 },
      readWindow,
      deploymentWorkspace: async (name) => (name === 'fraud' ? 'default' : undefined),
      // No monitor here reads a training dataset.
      training: {} as MonitoringModuleOptions['training'],
      deployments: async () => [{ name: 'fraud', workspace: 'default', primary: undefined }],
      deploymentsRevision: async () => 0,
      runExperiments: async () => [],
      bodyLimitBytes: 16 * 1024 * 1024,
      now: () => clock,
    });
    app = Fastify();
    installErrorHandling(app);
    // What the security module's hooks would set: here every caller is one anonymous user.
    app.decorateRequest('principal', null as never);
    app.addHook('onRequest', async (request) => {
      request.principal = { userId: null, username: 'anonymous' } as never;
    });
    monitoring.registerRoutes(app);
    await app.ready();
    for (let hour = 0; hour < 4; hour++) logHour(hour);
  });
  afterAll(async () => {
    await app?.close();
    await monitoring?.stop?.();
    await t?.cleanup();
  });

  it('stores the current window profile of each run with a data_drift check, and merges them over a range', async () => {
    expect((await put('watch', { checks: { data_drift: {}, data_quality: { checks: ['missing_share'] } } })).json().outcome).toBe('created');
    expect((await put('quality-only', { checks: { data_quality: {} } })).json().outcome).toBe('created');
    const runs = [];
    for (let hour = 1; hour <= 3; hour++) {
      runs.push(await runAt('watch', T0 + (hour + 1) * HOUR));
      await runAt('quality-only', T0 + (hour + 1) * HOUR);
    }
    expect(runs.map((r) => [r.status, r.current_rows])).toEqual([
      ['ok', ROWS_PER_HOUR],
      ['ok', ROWS_PER_HOUR],
      ['ok', ROWS_PER_HOUR],
    ]);
    // The run API does not carry the profile; the stored run neither.
    expect(JSON.stringify(runs[0])).not.toContain('capstan.profile');
    const stored = (await app.inject({ method: 'GET', url: `${API}/watch/runs/${runs[0]!.run_id}` })).json().run;
    expect(Object.keys(stored)).not.toContain('profile');

    const all = await merged('watch', `?from=${T0}&to=${T0 + 4 * HOUR}`);
    expect(all).toMatchObject({ monitor: 'watch', from: T0, to: T0 + 4 * HOUR, runs: 3, overlapping_runs: 0, profile: { format: 'capstan.profile', rowCount: 3 * ROWS_PER_HOUR } });
    expect(all.summary.rows).toBe(3 * ROWS_PER_HOUR);
    // The merged counts equal those of the three windows' rows read at once.
    const rows = log.filter((r) => r.at >= T0 + HOUR && r.at < T0 + 4 * HOUR);
    const direct = profileColumns({ x: rows.map((r) => r.inputs.x![0] as number), plan: rows.map((r) => r.inputs.plan![0] as string) });
    const x = all.summary.columns.find((c) => c.column_name === 'x')!;
    expect(x).toMatchObject({ count: direct.column('x')!.counts.count, min: direct.column('x')!.kll.min, max: direct.column('x')!.kll.max });
    expect(x.mean as number).toBeCloseTo(direct.column('x')!.moments.mean, 12);
    expect(all.summary.columns.find((c) => c.column_name === 'plan')!.top).toEqual([
      { value: 'free', count: 600, count_upper_bound: 600 },
      { value: 'pro', count: 300, count_upper_bound: 300 },
    ]);

    // A range takes the runs whose window lies inside it; the default range is every run.
    expect((await merged('watch', `?from=${T0 + 2 * HOUR}&to=${T0 + 4 * HOUR}`)).runs).toBe(2);
    expect((await merged('watch', `?from=${T0 + 2 * HOUR + 1}&to=${T0 + 4 * HOUR - 1}`)).runs).toBe(0);
    expect((await merged('watch')).runs).toBe(3);
    // No data_drift check, no profile stored.
    const none = await merged('quality-only');
    expect(none).toMatchObject({ runs: 0, overlapping_runs: 0, profile: { rowCount: 0, columns: [] }, summary: { rows: 0, columns: [] } });
  });

  it('leaves out a run whose window overlaps one already merged, so no row counts twice', async () => {
    const manual = await runAt('watch', T0 + 2.5 * HOUR);
    expect(manual.current_rows).toBe(ROWS_PER_HOUR);
    const all = await merged('watch', `?from=${T0}&to=${T0 + 4 * HOUR}`);
    expect(all).toMatchObject({ runs: 3, overlapping_runs: 1, summary: { rows: 3 * ROWS_PER_HOUR } });
  });

  it('refuses bad ranges and answers 404 for an unknown monitor', async () => {
    for (const query of ['?from=abc', `?from=${T0}&to=${T0 - 1}`, '?to=-5', '?from=1.5', '?from=']) {
      const res = await app.inject({ method: 'GET', url: `${API}/watch/profile${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await app.inject({ method: 'GET', url: `${API}/watch/profile?from=abc` })).json().message).toBe("from must be epoch milliseconds (a non-negative integer), got 'abc'.");
    expect((await app.inject({ method: 'GET', url: `${API}/nope/profile` })).statusCode).toBe(404);
  });

  it('uses the merged stored profiles as the reference, and judges drift on profiles', async () => {
    const replaced = await put('watch', { reference: { type: 'profiles', from: T0, to: T0 + 4 * HOUR } });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().outcome).toBe('updated');
    expect(replaced.json().monitor.reference).toEqual({ type: 'profiles', from: T0, to: T0 + 4 * HOUR });
    logHour(4, 1.5);
    const shifted = await runAt('watch', T0 + 5 * HOUR);
    expect(shifted, shifted.message).toMatchObject({ status: 'alert', reference_rows: 3 * ROWS_PER_HOUR, current_rows: ROWS_PER_HOUR, checks: { data_drift: 'FAIL' } });
    const drift = shifted.results[0]!.drift!;
    // 900 reference values: the drift library's defaults (K-S for numbers up to 1,000 reference values, z for two categories).
    expect(drift.columns.find((c) => c.column_name === 'x')).toMatchObject({ stattest: 'ks', drift_detected: true, reference_size: 900, current_size: 300 });
    expect(drift.columns.find((c) => c.column_name === 'plan')).toMatchObject({ stattest: 'z', drift_detected: false });

    logHour(5);
    const normalAgain = await runAt('watch', T0 + 6 * HOUR);
    expect(normalAgain).toMatchObject({ status: 'ok', reference_rows: 3 * ROWS_PER_HOUR, checks: { data_drift: 'SUCCESS' } });
    // Those runs stored their windows too: the reference range can take them in.
    expect((await merged('watch', `?from=${T0 + 4 * HOUR}&to=${T0 + 6 * HOUR}`)).runs).toBe(2);
  });

  it('bootstraps a profiles reference from its own first runs: skipped until the range holds a stored profile', async () => {
    logHour(6);
    logHour(7);
    const created = await put('fresh', { reference: { type: 'profiles', from: T0 + 6 * HOUR, to: T0 + 7 * HOUR }, checks: { data_drift: { numerical_stattest: 't_test' } } });
    expect(created.json().outcome, created.body).toBe('created');
    const first = await runAt('fresh', T0 + 7 * HOUR);
    expect(first).toMatchObject({ status: 'skipped', reference_rows: 0, current_rows: ROWS_PER_HOUR, message: 'The reference holds no rows.' });
    expect((await merged('fresh')).runs).toBe(1);
    const second = await runAt('fresh', T0 + 8 * HOUR);
    expect(second).toMatchObject({ status: 'ok', reference_rows: ROWS_PER_HOUR, checks: { data_drift: 'SUCCESS' } });
    expect(second.results[0]!.drift!.columns.find((c) => c.column_name === 'x')).toMatchObject({ stattest: 't_test', drift_detected: false });
  });

  it('merges more runs than one page of stored profiles', async () => {
    expect((await put('minutely', { window_seconds: 60, interval_seconds: 60, min_rows: 1 })).json().outcome).toBe('created');
    const start = T0 + 6 * HOUR;
    for (let m = 1; m <= 40; m++) await runAt('minutely', start + m * 60_000);
    const all = await merged('minutely', `?from=${start}&to=${start + 40 * 60_000}`);
    const logged = log.filter((r) => r.at >= start && r.at < start + 40 * 60_000).length;
    expect(all).toMatchObject({ runs: 40, overlapping_runs: 0, summary: { rows: logged } });
  });

  it('refuses a profiles reference for checks that need rows, tests that need every value, and an empty range', async () => {
    const post = (overrides: Record<string, unknown>) => app.inject({ method: 'POST', url: API, payload: manifest('bad', overrides) });
    const profiles = { type: 'profiles', from: T0, to: T0 + HOUR };
    const cases: [Record<string, unknown>, string][] = [
      [{ reference: profiles, checks: { data_drift: {}, data_quality: {} } }, 'Invalid monitor: checks.data_quality: data_quality needs a window or training_dataset reference: a profiles reference holds profiles of the inputs, not rows'],
      [{ reference: profiles, checks: { prediction_drift: {} } }, 'Invalid monitor: checks.prediction_drift: prediction_drift needs a window or training_dataset reference'],
      [{ reference: profiles, checks: { data_drift: { stattest: 'anderson' } } }, 'Invalid monitor: checks.data_drift.stattest: Stattest anderson needs the raw samples and cannot run on profiles. Available on profiles: '],
      [{ reference: profiles, checks: { data_drift: { per_column_stattest: { x: 'mannw' } } } }, 'Invalid monitor: checks.data_drift.per_column_stattest.x: Stattest mannw needs the raw samples'],
      [{ reference: { type: 'profiles', from: T0, to: T0 } }, 'Invalid monitor: reference: '],
      [{ reference: { type: 'profiles', from: T0 } }, 'Invalid monitor: reference: '],
    ];
    for (const [overrides, message] of cases) {
      const res = await post(overrides);
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(res.json().message).toContain(message);
    }
    // The same tests stay allowed with a window reference.
    expect((await post({ checks: { data_drift: { stattest: 'anderson' } } })).statusCode).toBe(201);
  });

  it('deletes the stored profiles with the monitor', async () => {
    expect((await app.inject({ method: 'DELETE', url: `${API}/minutely` })).statusCode).toBe(200);
    const left = await tablesOf<MonitoringTables>(t.database).db.selectFrom('monitor_runs').select('run_id').where('monitor', '=', 'minutely').execute();
    expect(left).toEqual([]);
  });
});

describe.each(TEST_DIALECTS)('0012-monitor-profiles on %s', (dialect) => {
  let t: TestDatabase<unknown>;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.cleanup());

  it('adds a nullable profile to runs stored before it; the merge skips them', async () => {
    expect(await migrateToLatest(t.database, [monitorsSchema])).toEqual(['0011-monitors']);
    const db = tablesOf<MonitoringTables>(t.database).db;
    await db
      .insertInto('monitors')
      .values({ name: 'm', workspace: 'default', deployment: 'd', description: null, spec: '{}', enabled: 1, next_run_at: 0, locked_until: null, created_at: 0, updated_at: 0, created_by: null })
      .execute();
    const old = { run_id: 'old', monitor: 'm', trigger: 'api', status: 'ok', started_at: 10, finished_at: 11, window_from: 0, window_to: 10, reference_rows: 1, current_rows: 1, checks: '{}', message: null, results: '[]' };
    // Inserted as 0011 knew runs: without a profile column.
    await db.insertInto('monitor_runs').values(old as never).execute();
    expect(await migrateToLatest(t.database, monitoringMigrations)).toEqual(['0012-monitor-profiles', '0013-auto-skew-monitors']);

    const runs = new RunStore(db);
    const run: MonitorRun = { run_id: 'new', monitor: 'm', trigger: 'api', status: 'ok', started_at: 20, finished_at: 21, window: { from: 10, to: 20 }, reference_rows: 3, current_rows: 3, checks: {}, results: [] };
    await runs.record(run, profileColumns({ x: [1, 2, 3] }));
    const row = await db.selectFrom('monitor_runs').select(['run_id', 'profile']).orderBy('run_id').execute();
    expect(row.map((r) => [r.run_id, r.profile === null])).toEqual([
      ['new', false],
      ['old', true],
    ]);
    const merged = await runs.mergeProfiles('m', 0, 100);
    expect({ runs: merged.runs, rows: merged.profile.rowCount }).toEqual({ runs: 1, rows: 3 });
    expect((await runs.get('m', 'new')).run_id).toBe('new');
  });
});
