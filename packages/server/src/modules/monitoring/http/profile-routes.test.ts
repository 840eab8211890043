import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../app/http/error-handler.js';
import type { InferenceWindowPage, InferenceWindowQuery, LabeledInferenceRecord } from '../../serving/index.js';
import { PROFILE_STAT_TESTS } from '../profiles/index.js';
import { registerDriftRoutes } from './drift-routes.js';
import { registerProfileRoutes } from './profile-routes.js';
import { registerDriftReportRoutes } from './report-routes.js';
import { minstdRandom } from '../../../core/test-support/seeded-random.js';

/**
 * Drift on profiles and the profile route over inline columns and a scripted inference log (the
 * serving module's reader replaced by an in-memory one with the same paging), so windows can be
 * larger than the row limit the exact method keeps.
 */

const API = '/api/capstan/v1/monitoring';
const T0 = 1_700_000_000_000;
const MAX_WINDOW_ROWS = 20_000;

const logs = new Map<string, LabeledInferenceRecord[]>();

/** `requests` logged requests of `rowsPer` rows from `T0 + offset`, one ms apart. */
function logTraffic(deployment: string, offset: number, requests: number, rowsPer: number, row: (i: number) => { x: unknown; plan: unknown; y: unknown }): void {
  const records = logs.get(deployment) ?? [];
  for (let r = 0; r < requests; r++) {
    const rows = Array.from({ length: rowsPer }, (_, j) => row(r * rowsPer + j));
    records.push({
      id: records.length + 1,
      requestId: `${deployment}-${records.length}`,
      deployment,
      modelName: 'm',
      version: '1',
      at: T0 + offset + r,
      latencyMs: 1,
      rows: rowsPer,
      // `tensor` holds nested rows: not a column, skipped like readWindowColumns skips it.
      inputs: { x: rows.map((c) => c.x), plan: rows.map((c) => c.plan), tensor: rows.map(() => [1, 2]) },
      outputs: { y: rows.map((c) => c.y) },
    });
  }
  logs.set(deployment, records.sort((a, b) => a.at - b.at || a.id - b.id));
}

async function readWindow(q: InferenceWindowQuery): Promise<InferenceWindowPage> {
  const all = (logs.get(q.deployment) ?? []).filter((r) => r.at >= q.from && r.at < q.to && (!q.after || r.at > q.after.at || (r.at === q.after.at && r.id > q.after.id)));
  const page = all.slice(0, q.limit);
  const last = page[page.length - 1];
  return all.length > q.limit && last ? { records: page, next: { at: last.at, id: last.id } } : { records: page };
}

let app: FastifyInstance;
const pages: InferenceWindowQuery[] = [];
beforeAll(async () => {
  const random = minstdRandom(7);
  const normal = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  const plans = ['free', 'pro', 'team'];
  // 12,500 requests of 2 rows a window: 25,000 rows, above the exact method's limit of 20,000.
  logTraffic('fraud', 0, 12_500, 2, () => ({ x: normal(), plan: plans[Math.floor(random() * 3)], y: random() }));
  logTraffic('fraud', 100_000, 12_500, 2, () => ({ x: normal(), plan: plans[Math.floor(random() * 3)], y: random() }));
  logTraffic('fraud', 200_000, 12_500, 2, () => ({ x: normal() + 0.5, plan: random() < 0.6 ? 'free' : 'pro', y: random() }));
  // A small deployment, under the limit, where both methods can run.
  logTraffic('small', 0, 3000, 1, () => ({ x: normal(), plan: plans[Math.floor(random() * 3)], y: random() }));
  logTraffic('small', 100_000, 3000, 1, () => ({ x: normal() + 0.3, plan: plans[Math.floor(random() * 3)], y: random() }));
  // Non-finite numbers as the log spells them, and a column some requests lack.
  logs.set('odd', [
    { id: 1, requestId: 'o1', deployment: 'odd', modelName: 'm', version: '1', at: T0, latencyMs: 1, rows: 3, inputs: { x: [1, 'NaN', 'Infinity'] }, outputs: {} },
    { id: 2, requestId: 'o2', deployment: 'odd', modelName: 'm', version: '1', at: T0 + 1, latencyMs: 1, rows: 2, inputs: { x: ['-Infinity', 2], extra: ['a', 'b'] }, outputs: {} },
  ]);

  app = Fastify();
  installErrorHandling(app);
  const deps = {
    readWindow: (q: InferenceWindowQuery) => {
      pages.push(q);
      return readWindow(q);
    },
    deploymentWorkspace: async (name: string) => (logs.has(name) ? 'default' : undefined),
    maxWindowRows: MAX_WINDOW_ROWS,
    bodyLimitBytes: 16 * 1024 * 1024,
  };
  registerDriftRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerDriftReportRoutes(app, deps);
  await app.ready();
});
afterAll(async () => app?.close());

const window = (deployment: string, offset: number, part?: 'inputs' | 'outputs') => ({ deployment, from: T0 + offset, to: T0 + offset + 50_000, ...(part ? { part } : {}) });
const drift = (payload: unknown) => app.inject({ method: 'POST', url: `${API}/drift`, payload: payload as object });
const profile = (payload: unknown) => app.inject({ method: 'POST', url: `${API}/profile`, payload: payload as object });
async function ok(response: Promise<{ statusCode: number; body: string; json: () => unknown }>) {
  const res = await response;
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
async function refusal(response: Promise<{ statusCode: number; body: string; json: () => unknown }>, status = 400): Promise<string> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error_code: string; message: string };
  expect(body.error_code).toBe(status === 400 ? 'INVALID_PARAMETER_VALUE' : 'RESOURCE_DOES_NOT_EXIST');
  return body.message;
}

describe('POST /monitoring/drift with method profiles', () => {
  it('equals the exact method, column by column, when the profiles hold the data exactly', async () => {
    const random = minstdRandom(3);
    const reference = { age: Array.from({ length: 150 }, () => random() * 50), plan: Array.from({ length: 150 }, (_, i) => ['a', 'b', 'c'][i % 3]!), code: Array.from({ length: 150 }, (_, i) => i % 4) };
    const current = { age: Array.from({ length: 120 }, () => random() * 50 + 10), plan: Array.from({ length: 120 }, (_, i) => ['a', 'b', 'a', 'd'][i % 4]!), code: Array.from({ length: 120 }, (_, i) => i % 5) };
    const body = { reference: { columns: reference }, current: { columns: current }, per_column_stattest: { age: 'wasserstein' } };
    const exact = (await ok(drift(body))).drift;
    const onProfiles = (await ok(drift({ ...body, method: 'profiles' }))).drift;
    expect(exact.method).toBe('exact');
    expect(exact.columns[0].exact).toBeUndefined();
    expect(onProfiles).toMatchObject({ method: 'profiles', reference_rows: 150, current_rows: 120, number_of_columns: 3, dataset_drift: exact.dataset_drift, number_of_drifted_columns: exact.number_of_drifted_columns });
    for (const [i, column] of exact.columns.entries()) {
      const p = onProfiles.columns[i];
      expect(p).toMatchObject({ column_name: column.column_name, column_type: column.column_type, stattest: column.stattest, stattest_threshold: column.stattest_threshold, drift_detected: column.drift_detected, exact: true, rank_error: 0 });
      expect(Math.abs(p.drift_score - column.drift_score), column.column_name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(column.drift_score)));
    }
  });

  it('compares windows larger than the exact method may read, page by page, and finds the drift', async () => {
    const tooLarge = await refusal(drift({ reference: window('fraud', 0), current: window('fraud', 200_000) }));
    expect(tooLarge).toBe(`the window of deployment 'fraud' holds more than ${MAX_WINDOW_ROWS} logged rows; narrow from/to`);

    pages.length = 0;
    const shifted = (await ok(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 200_000) }))).drift;
    // 12,500 requests a window read 1,000 at a time.
    expect(pages).toHaveLength(26);
    expect(shifted).toMatchObject({ method: 'profiles', reference_rows: 25_000, current_rows: 25_000, number_of_columns: 2, number_of_drifted_columns: 2, dataset_drift: true });
    const x = shifted.columns.find((c: { column_name: string }) => c.column_name === 'x');
    expect(x).toMatchObject({ stattest: 'wasserstein', drift_detected: true, exact: false, reference_size: 25_000 });
    expect(x.rank_error).toBeCloseTo(2 * (2.296 / 200 ** 0.9723), 12);
    const plan = shifted.columns.find((c: { column_name: string }) => c.column_name === 'plan');
    // Three distinct strings are counted exactly whatever the window's size.
    expect(plan).toMatchObject({ stattest: 'jensenshannon', exact: true, rank_error: 0, drift_detected: true });

    const same = (await ok(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 100_000) }))).drift;
    expect(same).toMatchObject({ number_of_drifted_columns: 0, dataset_drift: false });
  });

  it('agrees with the exact method within the sketch bound where both can run', async () => {
    const body = { reference: window('small', 0), current: window('small', 100_000), stattest: 'ks', columns: ['x'] };
    const exact = (await ok(drift(body))).drift.columns[0];
    const approximate = (await ok(drift({ ...body, method: 'profiles' }))).drift.columns[0];
    expect(approximate).toMatchObject({ stattest: 'ks', exact: false, drift_detected: true });
    expect(Math.abs(approximate.statistic - exact.statistic)).toBeLessThanOrEqual(approximate.rank_error);
  });

  it('compares with a profile made earlier, the same as with the window it came from', async () => {
    const made = await ok(profile(window('fraud', 0)));
    expect(made.profile).toMatchObject({ format: 'capstan.profile', version: 1, rowCount: 25_000 });
    const fromProfile = (await ok(drift({ method: 'profiles', reference: { profile: made.profile }, current: window('fraud', 200_000) }))).drift;
    const fromWindow = (await ok(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 200_000) }))).drift;
    expect(fromProfile).toEqual(fromWindow);
    // Both sides as profiles, through JSON as a client would ship them.
    const current = JSON.parse(JSON.stringify((await ok(profile(window('fraud', 200_000)))).profile));
    expect((await ok(drift({ method: 'profiles', reference: { profile: made.profile }, current: { profile: current } }))).drift).toEqual(fromWindow);
  });

  it('compares prediction drift on the outputs of a window', async () => {
    const outputs = (await ok(drift({ method: 'profiles', reference: window('fraud', 0, 'outputs'), current: window('fraud', 200_000, 'outputs') }))).drift;
    expect(outputs.columns.map((c: { column_name: string }) => c.column_name)).toEqual(['y']);
    expect(outputs.dataset_drift).toBe(false);
  });

  it('refuses, before reading any window, the tests that need the raw samples, with the library message', async () => {
    const needsSamples = ['anderson', 'cramer_von_mises', 'mannw', 'empirical_mmd', 'TVD', 'fisher_exact'];
    pages.length = 0;
    for (const name of needsSamples) {
      const message = await refusal(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 200_000), stattest: name }));
      expect(message).toBe(`Invalid drift request: stattest: Stattest ${name} needs the raw samples and cannot run on profiles. Available on profiles: ${PROFILE_STAT_TESTS.join(', ')}`);
    }
    expect(await refusal(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 0), per_column_stattest: { x: 'ks', plan: 'TVD' } }))).toMatch(
      /^Invalid drift request: per_column_stattest\.plan: Stattest TVD needs the raw samples and cannot run on profiles\./,
    );
    expect(await refusal(drift({ method: 'profiles', reference: window('fraud', 0), current: window('fraud', 0), numerical_stattest: 'mannw' }))).toMatch(/^Invalid drift request: numerical_stattest: Stattest mannw needs/);
    expect(pages).toHaveLength(0);
    // The exact method still takes them.
    expect((await ok(drift({ reference: window('small', 0), current: window('small', 100_000), columns: ['x'], stattest: 'anderson' }))).drift.columns[0].stattest).toBe('anderson');
  });

  it('refuses a profile side with the exact method, a malformed or incompatible profile, and an unknown method', async () => {
    const made = (await ok(profile({ columns: { x: [1, 2, 3] } }))).profile;
    expect(await refusal(drift({ reference: { profile: made }, current: { columns: { x: [1, 2] } } }))).toBe('Invalid drift request: reference: a serialised profile is compared only with "method": "profiles"');
    expect(await refusal(drift({ method: 'exact', reference: { columns: { x: [1, 2] } }, current: { profile: made } }))).toBe('Invalid drift request: current: a serialised profile is compared only with "method": "profiles"');
    expect(await refusal(drift({ method: 'sketch', reference: { columns: { x: [1] } }, current: { columns: { x: [1] } } }))).toMatch(/^Invalid drift request: method: /);
    expect(await refusal(drift({ method: 'profiles', reference: { columns: { x: [1] } }, current: { columns: { x: [1] } }, kll_k: 400 }))).toMatch(/^Invalid drift request: \(body\): Unrecognized key/);
    // The report files stay exact: their body takes no method.
    const report = app.inject({ method: 'POST', url: `${API}/drift/report`, payload: { method: 'profiles', reference: { columns: { x: [1, 2] } }, current: { columns: { x: [1, 2] } } } });
    expect(await refusal(report)).toMatch(/^Invalid drift report request: \(body\): Unrecognized key/);

    const side = (p: unknown) => drift({ method: 'profiles', reference: { profile: p }, current: { columns: { x: [1, 2, 3] } } });
    const cases: [unknown, string][] = [
      [{ ...made, version: 2 }, 'Invalid drift request: reference.profile: Unsupported profile version 2; this reader knows version 1.'],
      [{ ...made, format: 'whylogs' }, 'Invalid drift request: reference.profile: Not a serialised profile (format whylogs).'],
      [{ ...made, rowCount: 4 }, "Invalid drift request: reference.profile: Column 'x' has 3 cells but the profile has 4 rows."],
      [{ ...made, options: { ...made.options, kllK: 3 } }, 'Invalid drift request: reference.profile: '],
      [{ ...made, columns: [['x', { ...made.columns[0][1], nullCount: 1 }]] }, "Invalid drift request: reference.profile: Invalid profile: column 'x': Invalid column profile: cell counts do not add up."],
      [{ ...made, columns: [['x', { ...made.columns[0][1], kll: { k: 200 } }]] }, "Invalid drift request: reference.profile: Invalid profile: column 'x': "],
    ];
    for (const [bad, message] of cases) expect(await refusal(side(bad))).toContain(message);
    expect(await refusal(drift({ method: 'profiles', reference: { profile: 'not an object' }, current: { columns: { x: [1] } } }))).toMatch(/^Invalid drift request: reference: must be .* or \{"profile": <serialised profile>\}$/);
    expect(await refusal(drift({ method: 'profiles', reference: { profile: made, columns: {} }, current: { columns: { x: [1] } } }))).toMatch(/^Invalid drift request: reference: /);
  });

  it('answers 404 for an unknown deployment and 400 when the sides share no column', async () => {
    expect(await refusal(drift({ method: 'profiles', reference: window('nope', 0), current: window('fraud', 0) }), 404)).toBe("Deployment 'nope' not found");
    expect(await refusal(drift({ method: 'profiles', reference: { columns: { a: [1, 2] } }, current: { columns: { b: [1, 2] } } }))).toBe('There are no columns to compare.');
    expect(await refusal(drift({ method: 'profiles', reference: { columns: { a: [1, 2], b: [1] } }, current: { columns: { a: [1, 2] } } }))).toBe("Invalid drift request: reference.columns: Columns differ in length: 'a' has 2 rows, 'b' 1.");
  });
});

describe('POST /monitoring/profile', () => {
  it('profiles inline columns with a readable summary per column', async () => {
    const x = [3, 1, 2, null, 'NaN', 4, 5];
    const res = await ok(profile({ columns: { x, plan: ['a', 'b', 'a', '', null, 'a', 'b'] } }));
    expect(res.profile.rowCount).toBe(7);
    expect(res.summary.rows).toBe(7);
    const [xs, plan] = res.summary.columns;
    expect(xs).toEqual({
      column_name: 'x',
      dtype: 'float',
      count: 7,
      missing: 2,
      numbers: 5,
      strings: 0,
      booleans: 0,
      min: 1,
      max: 5,
      mean: 3,
      std: Math.sqrt(2.5),
      quantiles: { p01: 1.04, p05: 1.2, p25: 2, p50: 3, p75: 4, p95: 4.8, p99: 4.96 },
      quantiles_exact: true,
      distinct: 5,
      distinct_exact: true,
      top: [1, 2, 3, 4, 5].map((value) => ({ value, count: 1, count_upper_bound: 1 })),
    });
    for (const [k, v] of Object.entries({ p01: 1.04, p05: 1.2, p95: 4.8, p99: 4.96 })) expect(xs.quantiles[k]).toBeCloseTo(v, 12);
    expect(plan).toMatchObject({ column_name: 'plan', dtype: 'object', count: 7, missing: 2, strings: 6, min: null, mean: null, std: null, quantiles: null, distinct: 3, top: [{ value: 'a', count: 3 }, { value: 'b', count: 2 }, { value: '', count: 1 }] });
  });

  it("profiles a window's inputs or outputs page by page, spelled non-finite numbers as numbers", async () => {
    const inputs = await ok(profile(window('fraud', 0)));
    expect(inputs.summary.rows).toBe(25_000);
    expect(inputs.summary.columns.map((c: { column_name: string }) => c.column_name)).toEqual(['x', 'plan']);
    const x = inputs.summary.columns[0];
    expect(x).toMatchObject({ count: 25_000, numbers: 25_000, quantiles_exact: false, distinct_exact: false });
    expect(Math.abs(x.mean)).toBeLessThan(0.05);
    expect(Math.abs(x.quantiles.p50)).toBeLessThan(0.05);
    expect(x.quantiles.p05).toBeCloseTo(-1.645, 1);
    const outputs = await ok(profile(window('fraud', 0, 'outputs')));
    expect(outputs.summary.columns.map((c: { column_name: string }) => c.column_name)).toEqual(['y']);

    const odd = (await ok(profile({ deployment: 'odd', from: T0, to: T0 + 10 }))).summary.columns;
    expect(odd[0]).toMatchObject({ column_name: 'x', dtype: 'float', count: 5, missing: 3, numbers: 2, strings: 0, min: 1, max: 2 });
    // A column the first request did not log counts as nulls for its rows.
    expect(odd[1]).toMatchObject({ column_name: 'extra', count: 5, missing: 3, strings: 2 });
  });

  it('merges serialised profiles into the profile of all their rows', async () => {
    const a = (await ok(profile({ columns: { x: [1, 2, 3], plan: ['a', 'a', 'b'] } }))).profile;
    const b = (await ok(profile({ columns: { x: [4, 5] } }))).profile;
    const merged = await ok(profile({ profiles: [a, b] }));
    const whole = await ok(profile({ columns: { x: [1, 2, 3, 4, 5], plan: ['a', 'a', 'b', null, null] } }));
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.profile.rowCount).toBe(5);
    // Replicas' windows merged equal the window read at once (counts exact, quantiles within the bound).
    const halves = [await ok(profile({ ...window('fraud', 0), to: T0 + 6_000 })), await ok(profile({ ...window('fraud', 0), from: T0 + 6_000 }))];
    const joined = (await ok(profile({ profiles: halves.map((h) => h.profile) }))).summary;
    const once = (await ok(profile(window('fraud', 0)))).summary;
    expect(joined.rows).toBe(once.rows);
    expect(joined.columns[0]).toMatchObject({ count: once.columns[0].count, min: once.columns[0].min, max: once.columns[0].max });
    expect(joined.columns[0].mean).toBeCloseTo(once.columns[0].mean, 12);
    expect(joined.columns[1]).toEqual(once.columns[1]);
  });

  it('refuses malformed bodies, bad and incompatible profiles, and unknown deployments', async () => {
    expect(await refusal(profile({}))).toMatch(/^Invalid profile request: \(body\): must be /);
    expect(await refusal(profile({ deployment: 'fraud', from: 10, to: 5 }))).toMatch(/^Invalid profile request: /);
    expect(await refusal(profile({ profiles: [] }))).toMatch(/^Invalid profile request: /);
    expect(await refusal(profile({ columns: { a: [1, 2], b: [1] } }))).toBe("Invalid profile request: columns: Columns differ in length: 'a' has 2 rows, 'b' 1.");
    const a = (await ok(profile({ columns: { x: [1, 2, 3] } }))).profile;
    expect(await refusal(profile({ profiles: [a, { ...a, version: 9 }] }))).toBe('Invalid profile request: profiles.1: Unsupported profile version 9; this reader knows version 1.');
    const otherK = { ...a, options: { ...a.options, kllK: 100 }, columns: [['x', { ...a.columns[0][1], kll: { ...a.columns[0][1].kll, k: 100 } }]] };
    expect(await refusal(profile({ profiles: [a, otherK] }))).toBe('Invalid profile request: profiles.1: Cannot merge profiles built with different sketch parameters.');
    expect(await refusal(profile(window('nope', 0)), 404)).toBe("Deployment 'nope' not found");
  });
});
