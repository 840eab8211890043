import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../app/http/error-handler.js';
import type { InferenceWindowPage, InferenceWindowQuery, LabeledInferenceRecord } from '../../serving/index.js';
import { registerPerformanceRoutes } from '../http/performance-routes.js';
import { Adwin, PageHinkley } from '../performance/index.js';
import {
  accuracyOf,
  averagePrecisionByThresholds,
  bandOf,
  classScores,
  confusion,
  expectedConfusion,
  logLossOf,
  macroScores,
  realizedChunk,
  regressionOf,
  rocAucByPairs,
  seeded,
} from '../test-support/reference-metrics.js';

/**
 * The performance API over a scripted inference log (the serving module's reader replaced by an
 * in-memory one with the same paging), so timestamps, multi-row requests and labels are exactly
 * what each case needs. The numbers are checked against the naive definitions of
 * test-support/reference-metrics.ts. monitoring-performance.test.ts does the same over a served
 * ONNX model's real traffic.
 */

const URL = '/api/capstan/v1/monitoring/performance';
const T0 = 1_700_000_000_000;

interface Logged {
  id: string;
  at: number;
  inputs?: Record<string, unknown[]>;
  outputs: Record<string, unknown[]>;
  label?: unknown;
}

/** Deployments' logs, keyed by deployment name. */
const logs = new Map<string, LabeledInferenceRecord[]>();

function log(deployment: string, entries: Logged[]): void {
  const records = entries.map((e, i): LabeledInferenceRecord => {
    const rows = Object.values(e.outputs)[0]!.length;
    return {
      id: i + 1,
      requestId: e.id,
      deployment,
      modelName: 'm',
      version: '1',
      at: e.at,
      latencyMs: 1,
      rows,
      inputs: e.inputs ?? {},
      outputs: e.outputs,
      ...('label' in e ? { label: e.label, labeledAt: e.at + 1 } : {}),
    };
  });
  logs.set(deployment, records.sort((a, b) => a.at - b.at || a.id - b.id));
}

/** readInferenceWindow's contract: [from, to), ordered by (at, id), paged after a position. */
async function readWindow(q: InferenceWindowQuery): Promise<InferenceWindowPage> {
  const all = (logs.get(q.deployment) ?? []).filter((r) => r.at >= q.from && r.at < q.to && (!q.after || r.at > q.after.at || (r.at === q.after.at && r.id > q.after.id)));
  const page = all.slice(0, q.limit);
  const last = page[page.length - 1];
  return all.length > q.limit && last ? { records: page, next: { at: last.at, id: last.id } } : { records: page };
}

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  installErrorHandling(app);
  registerPerformanceRoutes(app, {
    readWindow,
    deploymentWorkspace: async (name) => (logs.has(name) ? 'default' : undefined),
    maxWindowRows: 20_000,
    bodyLimitBytes: 16 * 1024 * 1024,
  });
  await app.ready();
});
afterAll(async () => app?.close());

const post = (payload: unknown) => app.inject({ method: 'POST', url: URL, payload: payload as object });
async function report(payload: unknown) {
  const res = await post(payload);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().performance;
}
async function refusal(payload: unknown, status = 400): Promise<string> {
  const res = await post(payload);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error_code).toBe(status === 400 ? 'INVALID_PARAMETER_VALUE' : 'RESOURCE_DOES_NOT_EXIST');
  return res.json().message as string;
}
const all = (deployment: string) => ({ deployment, from: 0, to: T0 * 2 });

describe('labels joined to multi-row requests', () => {
  beforeAll(() => {
    log('multi', [
      // One row, scalar label.
      { id: 'a', at: T0, outputs: { label: [1], 'probabilities[1]': [0.9] }, label: 1 },
      // Three rows, one label per row; null leaves the middle row unlabelled.
      { id: 'b', at: T0 + 1, outputs: { label: [0, 1, 1], 'probabilities[1]': [0.2, 0.7, 0.6] }, label: [0, null, 0] },
      // One row, a one-element array.
      { id: 'c', at: T0 + 2, outputs: { label: [0], 'probabilities[1]': [0.4] }, label: [1] },
      // No label.
      { id: 'd', at: T0 + 3, outputs: { label: [1, 0], 'probabilities[1]': [0.8, 0.1] } },
      // Booleans are classes 1 and 0.
      { id: 'e', at: T0 + 4, outputs: { label: [1], 'probabilities[1]': [0.3] }, label: false },
    ]);
  });

  it('expands each request label over its rows and scores only labelled rows', async () => {
    const r = await report({ current: all('multi'), task: 'classification', prediction: 'label', scores: 'probabilities[1]' });
    expect(r).toMatchObject({ status: 'ok', requests: 5, labelled_requests: 4, rows: 8, labelled_rows: 5, unlabelled_rows: 3, label_coverage: 5 / 8 });
    expect(r).toMatchObject({ classes: [0, 1], average: 'binary', positive_label: 1, scores: ['probabilities[1]'] });
    // Labelled rows: a(1→1, .9), b0(0→0, .2), b2(0→1, .6), c(1→0, .4), e(0→1, .3).
    const y = [1, 0, 0, 1, 0];
    const p = [1, 0, 1, 0, 1];
    const s = [0.9, 0.2, 0.6, 0.4, 0.3];
    const positive = classScores(y, p, 1);
    expect(r.metrics).toMatchObject({ count: 5, accuracy: accuracyOf(y, p), precision: positive.precision, recall: positive.recall, f1: positive.f1 });
    expect(r.metrics.roc_auc).toBeCloseTo(rocAucByPairs(y.map((v) => v === 1), s), 14);
    expect(r.metrics.pr_auc).toBeCloseTo(averagePrecisionByThresholds(y.map((v) => v === 1), s), 14);
    expect(r.metrics.log_loss).toBeCloseTo(logLossOf(y, s.map((q) => [1 - q, q])), 14);
    expect(r.metrics.confusion_matrix).toEqual({ labels: [0, 1], matrix: confusion(y, p, [0, 1]) });
    expect(r.metrics.per_class).toEqual([0, 1].map((c) => ({ label: c, ...classScores(y, p, c) })));
  });

  it('refuses a label that does not fit its request, naming the request', async () => {
    const body = { current: all('bad-shape'), task: 'classification', prediction: 'label' };
    log('bad-shape', [{ id: 'r3', at: T0, outputs: { label: [0, 1, 1] }, label: [0, 1] }]);
    expect(await refusal(body)).toMatch(/^Invalid performance request: current: the label of request 'r3' is an array of 2 values but the request logged 3 rows: label a request of n rows with an array of n values/);
    log('bad-shape', [{ id: 'r3', at: T0, outputs: { label: [0, 1, 1] }, label: 1 }]);
    expect(await refusal(body)).toMatch(/^Invalid performance request: current: the label of request 'r3' is a single value but the request logged 3 rows/);
    log('bad-shape', [{ id: 'r1', at: T0, outputs: { label: [0] }, label: { y: 1 } }]);
    expect(await refusal(body)).toMatch(/^Invalid performance request: current: the label of request 'r1' is an object/);
    log('bad-shape', [{ id: 'r1', at: T0, outputs: { label: [0] }, label: [[1]] }]);
    expect(await refusal(body)).toMatch(/^Invalid performance request: current: the label of request 'r1' row 0 is an array/);
  });

  it('refuses labels whose type differs from the predictions, and predictions that are not classes', async () => {
    const body = { current: all('bad-type'), task: 'classification', prediction: 'label' };
    log('bad-type', [{ id: 'ok', at: T0, outputs: { label: [1] }, label: 1 }, { id: 'str', at: T0 + 1, outputs: { label: [1] }, label: '1' }]);
    expect(await refusal(body)).toBe(
      "Invalid performance request: current: request 'str' row 0 is labelled \"1\" (string) but the predictions in 'label' are numbers: post labels of the predictions' type",
    );
    log('bad-type', [{ id: 'nan', at: T0, outputs: { label: ['NaN'] } }, { id: 'x', at: T0 + 1, outputs: { label: [1] } }]);
    expect(await refusal(body)).toMatch(/predictions in 'label' mix numbers and strings \(request 'x' row 0 is 1\)/);
    log('bad-type', [{ id: 'r', at: T0, outputs: { label: [1], score: ['NaN'] }, label: 1 }]);
    expect(await refusal({ ...body, scores: 'score' })).toMatch(/score 'score' of request 'r' row 0 is "NaN": scores must be finite numbers/);
    log('bad-type', [{ id: 'r', at: T0, outputs: { y: [2.5] }, label: 'high' }]);
    expect(await refusal({ ...body, task: 'regression', prediction: 'y' })).toMatch(/request 'r' row 0 is labelled "high" \(string\): regression labels must be finite numbers/);
  });

  it('names unknown columns with the ones that exist, and unknown deployments with 404', async () => {
    expect(await refusal({ current: all('multi'), task: 'classification', prediction: 'class' })).toBe(
      "Invalid performance request: current: no request in the window logged an output 'class'; the logged outputs are 'label', 'probabilities[1]'",
    );
    expect(await refusal({ current: all('multi'), task: 'classification', prediction: 'label', segment_by: 'country' })).toMatch(
      /segment_by names 'country', which no request in the window logged as an input; the logged inputs are none/,
    );
    log('partial', [{ id: 'p1', at: T0, outputs: { label: [1], p: [0.5] } }, { id: 'p2', at: T0 + 1, outputs: { label: [1] } }]);
    expect(await refusal({ current: all('partial'), task: 'classification', prediction: 'label', scores: 'p' })).toMatch(/request 'p2' logged no output 'p' \(its outputs are 'label'\)/);
    expect(await refusal({ current: all('ghost'), task: 'classification', prediction: 'label' }, 404)).toBe("Deployment 'ghost' not found");
  });

  it('bounds what one report reads and returns', async () => {
    log('big', Array.from({ length: 20_001 }, (_, i) => ({ id: `b${i}`, at: T0 + i, outputs: { label: [1] } })));
    expect(await refusal({ current: all('big'), task: 'classification', prediction: 'label' })).toBe(
      "Invalid performance request: current: the window of deployment 'big' holds more than 20000 logged rows; narrow from/to",
    );
    expect(await refusal({ current: { deployment: 'big', from: T0, to: T0 + 10_001 }, task: 'classification', prediction: 'label', window_ms: 1 })).toBe(
      'Invalid performance request: window_ms 1 cuts the window into 10001 windows; at most 10000 are reported: widen window_ms',
    );
    log('many-classes', Array.from({ length: 1001 }, (_, i) => ({ id: `k${i}`, at: T0 + i, outputs: { score: [i / 1001] } })));
    expect(await refusal({ current: all('many-classes'), task: 'classification', prediction: 'score' })).toBe(
      "Invalid performance request: the predictions in 'score' and their labels hold 1001 distinct classes; at most 1000 are scored (is it a numeric output? use task 'regression')",
    );
    log('many-segments', Array.from({ length: 1001 }, (_, i) => ({ id: `s${i}`, at: T0 + i, inputs: { amount: [i] }, outputs: { label: [1] } })));
    expect(await refusal({ current: all('many-segments'), task: 'classification', prediction: 'label', segment_by: 'amount' })).toMatch(
      /segment_by 'amount' has 1001 distinct values; at most 1000 segments are reported/,
    );
  });
});

describe('status without labels or rows, and single rows', () => {
  beforeAll(() => {
    log('unlabelled', [{ id: 'u1', at: T0, outputs: { label: ['cat'] } }, { id: 'u2', at: T0 + 5, outputs: { label: ['dog'] } }]);
    log('single', [{ id: 's1', at: T0, outputs: { label: [1], p: [0.7], y: [3] }, label: 1 }]);
  });

  it('explains a window with no labels or no predictions instead of failing', async () => {
    const none = await report({ current: all('unlabelled'), task: 'classification', prediction: 'label' });
    expect(none).toMatchObject({ status: 'no_labels', rows: 2, labelled_rows: 0, label_coverage: 0, metrics: null, classes: ['cat', 'dog'], average: 'macro', positive_label: null });
    expect(none.explanation).toMatch(/^none of the 2 logged requests in \[0, \d+\) has a label yet: post them with POST \/api\/capstan\/v1\/deployments\/unlabelled\/labels/);
    const empty = await report({ current: { deployment: 'unlabelled', from: T0 + 1, to: T0 + 5 }, task: 'classification', prediction: 'nothing' });
    expect(empty).toMatchObject({ status: 'no_rows', requests: 0, rows: 0, label_coverage: null, metrics: null });
    expect(empty.explanation).toBe(`deployment 'unlabelled' logged no predictions in [${T0 + 1}, ${T0 + 5})`);
  });

  it('scores a single labelled row, with the metrics it cannot define set to null and explained', async () => {
    const c = await report({ current: all('single'), task: 'classification', prediction: 'label', scores: 'p' });
    expect(c.metrics).toMatchObject({ count: 1, accuracy: 1, roc_auc: null, pr_auc: 1 });
    expect(c.metrics.undefined_metrics).toEqual({ roc_auc: 'only one class present in yTrue: ROC AUC is not defined in that case' });
    expect(c.metrics.log_loss).toBeCloseTo(-Math.log(0.7), 14);
    const r = await report({ current: all('single'), task: 'regression', prediction: 'y' });
    expect(r.metrics).toEqual({ count: 1, mae: 2, rmse: 2, mape: 2, r2: null, undefined_metrics: { r2: 'R² is not well-defined with less than two samples' } });
  });
});

describe('windows and segments', () => {
  // Three windows of 1 s; a string-labelled three-class model; segments by plan (one request lacks it).
  const entries: Logged[] = [];
  beforeAll(() => {
    const random = seeded(7);
    const classes = ['a', 'b', 'c'];
    for (let i = 0; i < 90; i++) {
      const truth = classes[Math.floor(random() * 3)]!;
      const predicted = random() < 0.7 ? truth : classes[Math.floor(random() * 3)]!;
      const raw = classes.map((c) => (c === predicted ? 2 : 0.5) + random());
      const total = raw.reduce((s, v) => s + v, 0);
      const plan = i === 5 ? undefined : ['free', 'pro'][i % 2]!;
      entries.push({
        id: `w${i}`,
        at: T0 + Math.floor(i / 30) * 1000 + (i % 30),
        inputs: plan === undefined ? {} : { plan: [plan] },
        outputs: { class: [predicted], 'p[0]': [raw[0]! / total], 'p[1]': [raw[1]! / total], 'p[2]': [raw[2]! / total] },
        ...(i % 3 === 2 ? {} : { label: truth }),
      });
    }
    log('windows', entries);
  });

  it('scores each epoch-aligned window and each segment as scikit-learn scores that group', async () => {
    const r = await report({ current: all('windows'), task: 'classification', prediction: 'class', scores: ['p[0]', 'p[1]', 'p[2]'], window_ms: 1000, segment_by: 'plan' });
    expect(r).toMatchObject({ classes: ['a', 'b', 'c'], average: 'macro', positive_label: null, rows: 90, labelled_rows: 60, window_ms: 1000, segment_by: 'plan' });
    const check = (group: { metrics: Record<string, unknown> }, members: Logged[]) => {
      const labelled = members.filter((e) => 'label' in e);
      const y = labelled.map((e) => e.label as string);
      const p = labelled.map((e) => e.outputs.class![0] as string);
      const m = macroScores(y, p);
      expect(group.metrics).toMatchObject({ count: labelled.length, accuracy: accuracyOf(y, p) });
      expect(group.metrics.precision).toBeCloseTo(m.precision, 14);
      expect(group.metrics.recall).toBeCloseTo(m.recall, 14);
      expect(group.metrics.f1).toBeCloseTo(m.f1, 14);
      expect(group.metrics.confusion_matrix).toEqual({ labels: ['a', 'b', 'c'], matrix: confusion(y, p, ['a', 'b', 'c']) });
      const rows = labelled.map((e) => [0, 1, 2].map((k) => e.outputs[`p[${k}]`]![0] as number));
      const ovr = ['a', 'b', 'c'].map((c, k) => rocAucByPairs(y.map((v) => v === c), rows.map((q) => q[k]!)));
      expect(group.metrics.roc_auc).toBeCloseTo((ovr[0]! + ovr[1]! + ovr[2]!) / 3, 12);
      const ap = ['a', 'b', 'c'].map((c, k) => averagePrecisionByThresholds(y.map((v) => v === c), rows.map((q) => q[k]!)));
      expect(group.metrics.pr_auc).toBeCloseTo((ap[0]! + ap[1]! + ap[2]!) / 3, 12);
      expect(group.metrics.log_loss).toBeCloseTo(logLossOf(y.map((v) => ['a', 'b', 'c'].indexOf(v)), rows), 12);
    };
    check(r, entries);
    expect(r.windows.map((w: { window_start: number }) => w.window_start)).toEqual([T0, T0 + 1000, T0 + 2000]);
    r.windows.forEach((w: { window_start: number; window_end: number; rows: number; labelled_rows: number; label_coverage: number; metrics: Record<string, unknown> }) => {
      expect(w).toMatchObject({ window_end: w.window_start + 1000, rows: 30, labelled_rows: 20, unlabelled_rows: 10, label_coverage: 20 / 30 });
      check(w, entries.filter((e) => e.at >= w.window_start && e.at < w.window_end));
    });
    expect(r.segments.map((s: { segment: unknown; rows: number }) => [s.segment, s.rows])).toEqual([[null, 1], ['free', 45], ['pro', 44]]);
    check(r.segments[1], entries.filter((e) => e.inputs?.plan?.[0] === 'free'));
    check(r.segments[2], entries.filter((e) => e.inputs?.plan?.[0] === 'pro'));
  });

  it('averages over the given classes, in their order, and maps score columns to them', async () => {
    const r = await report({ current: all('windows'), task: 'classification', prediction: 'class', classes: ['d', 'c', 'b', 'a'], average: 'weighted' });
    const labelled = entries.filter((e) => 'label' in e);
    const y = labelled.map((e) => e.label as string);
    const p = labelled.map((e) => e.outputs.class![0] as string);
    const per = ['d', 'c', 'b', 'a'].map((c) => ({ label: c, ...classScores(y, p, c) }));
    expect(r.classes).toEqual(['d', 'c', 'b', 'a']);
    expect(r.metrics.per_class).toEqual(per);
    expect(r.metrics.confusion_matrix).toEqual({ labels: ['d', 'c', 'b', 'a'], matrix: confusion(y, p, ['d', 'c', 'b', 'a']) });
    const weighted = (key: 'precision' | 'recall' | 'f1') => per.reduce((s, c) => s + c[key] * c.support, 0) / y.length;
    for (const key of ['precision', 'recall', 'f1'] as const) expect(r.metrics[key]).toBeCloseTo(weighted(key), 14);
    // Score columns follow the given order: reversed columns with reversed classes give the same figures.
    const scored = await report({ current: all('windows'), task: 'classification', prediction: 'class', scores: ['p[2]', 'p[1]', 'p[0]'], classes: ['c', 'b', 'a'] });
    const plain = await report({ current: all('windows'), task: 'classification', prediction: 'class', scores: ['p[0]', 'p[1]', 'p[2]'] });
    for (const key of ['roc_auc', 'pr_auc', 'log_loss'] as const) expect(scored.metrics[key]).toBeCloseTo(plain.metrics[key], 14);
    expect(await refusal({ current: all('windows'), task: 'classification', prediction: 'class', scores: ['p[0]', 'p[1]', 'p[2]'], classes: ['a', 'b', 'c', 'd'] })).toMatch(
      /scores names 3 columns but there are 4 classes \(\["a","b","c","d"\]\): give classes/,
    );
  });

  it('refuses window and class settings that do not fit the data', async () => {
    const body = { current: all('windows'), task: 'classification', prediction: 'class' };
    expect(await refusal({ ...body, scores: ['p[0]', 'p[1]'] })).toBe(
      "Invalid performance request: scores names 2 columns but there are 3 classes ([\"a\",\"b\",\"c\"]) among the labels and predictions: give classes, one per score column in order",
    );
    expect(await refusal({ ...body, scores: 'p[0]' })).toMatch(/one score column \('p\[0\]'\) describes a binary classifier, but there are 3 classes/);
    expect(await refusal({ ...body, average: 'binary', positive_label: 'a' })).toMatch(/average 'binary' needs at most two classes, and there are 3/);
    expect(await refusal({ ...body, positive_label: 1 })).toMatch(/positive_label is 1, a number, but the predictions in 'class' are strings/);
    expect(await refusal({ ...body, classes: ['a', 'b'] })).toMatch(/is labelled "c", which is not among classes \["a","b"\]/);
    expect(await refusal({ ...body, window_ms: 0 })).toBe('Invalid performance request: window_ms: Too small: expected number to be >0');
    expect(await refusal({ ...body, task: 'regression', scores: 'p[0]' })).toBe("Invalid performance request: scores applies to classification, and task is 'regression'");
    expect(await refusal({ ...body, windows: 1000 })).toMatch(/Unrecognized key/);
    expect(await refusal({ ...body, current: { deployment: 'windows', from: 5, to: 1 } })).toBe('Invalid performance request: current: from must not be after to');
  });
});

describe('regression', () => {
  it('scores finite numbers and spells out a non-finite metric', async () => {
    const random = seeded(3);
    const entries: Logged[] = Array.from({ length: 40 }, (_, i) => {
      const truth = 10 + random() * 5;
      return { id: `g${i}`, at: T0 + i, outputs: { variable: [truth + (random() - 0.5)] }, ...(i % 4 === 0 ? {} : { label: truth }) };
    });
    log('regressor', entries);
    const r = await report({ current: all('regressor'), task: 'regression', prediction: 'variable', window_ms: 20 });
    const labelled = entries.filter((e) => 'label' in e);
    const expected = regressionOf(labelled.map((e) => e.label as number), labelled.map((e) => e.outputs.variable![0] as number));
    expect(r).toMatchObject({ status: 'ok', rows: 40, labelled_rows: 30, label_coverage: 0.75 });
    for (const key of ['mae', 'rmse', 'mape', 'r2'] as const) expect(r.metrics[key]).toBeCloseTo(expected[key]!, 12);
    expect(r.windows).toHaveLength(2);

    log('huge', [{ id: 'h1', at: T0, outputs: { y: [1e200] }, label: 0 }, { id: 'h2', at: T0 + 1, outputs: { y: [0] }, label: 1 }]);
    const huge = await report({ current: all('huge'), task: 'regression', prediction: 'y' });
    expect(huge.metrics).toMatchObject({ mae: 5e199, rmse: 'Infinity', r2: '-Infinity' });
  });
});

describe('CBPE against a labelled reference', () => {
  // Calibrated scores: the label is 1 with probability p. The reference and window A are confident;
  // window B's scores crowd around ½, so its expected accuracy falls out of the band.
  const random = seeded(11);
  const sample = (n: number, spread: number) =>
    Array.from({ length: n }, () => {
      const p = 0.5 + (random() - 0.5) * spread;
      return { p, label: (random() < p ? 1 : 0) as 0 | 1, prediction: (p >= 0.5 ? 1 : 0) as 0 | 1 };
    });
  const referenceRows = sample(2000, 1);
  const windowA = sample(500, 1);
  const windowB = sample(500, 0.2);
  beforeAll(() => {
    log('cbpe', [...windowA, ...windowB].map((s, i) => ({ id: `c${i}`, at: T0 + (i < 500 ? 0 : 60_000) + i, outputs: { label: [s.prediction], 'probabilities[1]': [s.p] }, ...(i % 10 === 0 ? { label: s.label } : {}) })));
    log('cbpe-reference', referenceRows.map((s, i) => ({ id: `r${i}`, at: T0 + i, outputs: { label: [s.prediction], 'probabilities[1]': [s.p] }, label: s.label })));
  });
  const inline = { labels: referenceRows.map((s) => s.label), scores: referenceRows.map((s) => s.p), predictions: referenceRows.map((s) => s.prediction) };

  it('estimates each window from its scores and flags those outside the reference band (uncalibrated: exact figures)', async () => {
    const r = await report({ current: all('cbpe'), task: 'classification', prediction: 'label', scores: 'probabilities[1]', window_ms: 60_000, reference: inline, cbpe: { calibrate: false } });
    // The default chunk is the mean window size: 500 rows, four reference chunks.
    expect(r.estimation).toMatchObject({ method: 'cbpe', positive_label: 1, rows: 'all', reference: { rows: 2000, chunk_size: 500, chunks: 4, calibrated: false } });
    const chunks = [0, 1, 2, 3].map((c) => {
      const part = referenceRows.slice(c * 500, c * 500 + 500);
      return realizedChunk(part.map((s) => s.label), part.map((s) => s.prediction), part.map((s) => s.p));
    });
    expect(r.estimation.reference.chunk_metrics.map((m: { accuracy: number }) => m.accuracy)).toEqual(chunks.map((c) => c.accuracy));
    for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const) {
      const band = bandOf(chunks.map((c) => c[metric]))!;
      expect(r.estimation.reference.bands[metric].lower).toBeCloseTo(band.lower, 12);
      expect(r.estimation.reference.bands[metric].upper).toBeCloseTo(band.upper, 12);
    }
    const [a, b] = r.windows;
    for (const [group, rows] of [[a, windowA], [b, windowB]] as const) {
      const expected = expectedConfusion(rows.map((s) => s.p), rows.map((s) => s.prediction));
      expect(group.estimated.rows).toBe(500);
      for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) expect(group.estimated.estimated[metric]).toBeCloseTo(expected[metric], 12);
    }
    const accuracyBand = r.estimation.reference.bands.accuracy;
    expect(a.estimated.estimated.accuracy).toBeGreaterThan(accuracyBand.lower);
    expect(a.estimated.alerts).not.toContain('accuracy');
    expect(b.estimated.estimated.accuracy).toBeLessThan(accuracyBand.lower);
    expect(b.estimated.alerts).toEqual(expect.arrayContaining(['accuracy', 'roc_auc']));
    expect(r.estimation.overall.rows).toBe(1000);
    // Realized figures sit beside the estimates where labels exist (every tenth row here).
    expect(a).toMatchObject({ labelled_rows: 50, metrics: { count: 50 } });
  });

  it('reads the reference from another window, calibrates by default, and can estimate only unlabelled rows', async () => {
    const r = await report({
      current: all('cbpe'),
      task: 'classification',
      prediction: 'label',
      scores: 'probabilities[1]',
      window_ms: 60_000,
      reference: all('cbpe-reference'),
      cbpe: { rows: 'unlabelled', chunk_size: 400 },
    });
    expect(r.estimation).toMatchObject({ rows: 'unlabelled', reference: { rows: 2000, chunk_size: 400, chunks: 5, calibrated: true } });
    expect(r.windows.map((w: { estimated: { rows: number } }) => w.estimated.rows)).toEqual([450, 450]);
    expect(r.windows[1].estimated.alerts).toContain('accuracy');
    expect(r.windows[0].estimated.alerts).not.toContain('accuracy');
  });

  it('estimates a window that has no labels at all', async () => {
    log('cbpe-unlabelled', windowB.map((s, i) => ({ id: `n${i}`, at: T0 + i, outputs: { label: [s.prediction], 'probabilities[1]': [s.p] } })));
    const r = await report({ current: all('cbpe-unlabelled'), task: 'classification', prediction: 'label', scores: 'probabilities[1]', reference: inline, cbpe: { calibrate: false, chunk_size: 500 } });
    expect(r).toMatchObject({ status: 'no_labels', metrics: null, estimation: { overall: { rows: 500 } } });
    expect(r.explanation).toMatch(/the CBPE estimate below needs none$/);
    expect(r.estimation.overall.alerts).toContain('accuracy');
  });

  it('refuses CBPE it cannot run', async () => {
    const body = { current: all('cbpe'), task: 'classification', prediction: 'label', scores: 'probabilities[1]' };
    expect(await refusal({ ...body, cbpe: { chunk_size: 10 } })).toMatch(/cbpe settings need a reference/);
    expect(await refusal({ ...body, scores: undefined, reference: inline })).toMatch(/reference is for CBPE, which estimates from scores/);
    expect(await refusal({ ...body, reference: { ...inline, labels: inline.labels.slice(1) } })).toMatch(/reference: labels and scores have different lengths \(1999 and 2000\)/);
    expect(await refusal({ ...body, reference: inline, cbpe: { chunk_size: 1500 } })).toMatch(/^Invalid performance request: reference has 2000 samples: at least two chunks of 1500 are needed/);
    expect(await refusal({ ...body, reference: all('unlabelled') })).toMatch(/reference: the predictions in 'label' are|reference: no request in the window logged an output 'probabilities\[1\]'/);
    expect(await refusal({ ...body, reference: { labels: [1, 0], scores: [1.5, 0.2] } })).toMatch(/reference: scores\[0\] is 1.5: CBPE needs probabilities in \[0, 1\]/);
    expect(await refusal({ ...body, reference: { deployment: 'ghost', from: 0, to: 1 } }, 404)).toBe("Deployment 'ghost' not found");
  });
});

describe('drift detectors over the error stream', () => {
  it('reports Page-Hinkley and ADWIN detections with the request and time they fell on', async () => {
    const random = seeded(5);
    const errors = Array.from({ length: 1200 }, (_, i) => random() < (i < 600 ? 0.05 : 0.6));
    log('detect', errors.map((wrong, i) => ({ id: `e${i}`, at: T0 + i * 10, outputs: { label: [wrong ? 1 : 0] }, label: 0 })));
    const r = await report({ current: all('detect'), task: 'classification', prediction: 'label', detectors: { page_hinkley: {}, adwin: { delta: 0.002 } } });
    const ph = new PageHinkley();
    const adwin = new Adwin();
    const expectedPh: number[] = [];
    const expectedAdwin: number[] = [];
    errors.forEach((wrong, i) => {
      if (ph.update(wrong ? 1 : 0).driftDetected) expectedPh.push(i);
      if (adwin.update(wrong ? 1 : 0).driftDetected) expectedAdwin.push(i);
    });
    expect(r.detectors.stream).toBe('misclassification');
    expect(r.detectors.length).toBe(1200);
    expect(r.detectors.page_hinkley.detections.map((d: { index: number }) => d.index)).toEqual(expectedPh);
    expect(r.detectors.adwin.detections.map((d: { index: number }) => d.index)).toEqual(expectedAdwin);
    // The first detections follow the change at row 600 closely, and name the request they fell on.
    const first = r.detectors.page_hinkley.detections[0];
    expect(first.index).toBeGreaterThanOrEqual(600);
    expect(first.index).toBeLessThan(750);
    expect(first).toEqual({ index: first.index, at: T0 + first.index * 10, request_id: `e${first.index}`, row: 0 });
    expect(r.detectors.adwin.detections[0].index).toBeGreaterThanOrEqual(600);
    expect(r.detectors.adwin.detections[0].index).toBeLessThan(750);
  });

  it('uses absolute errors for a regressor and refuses bad detector settings', async () => {
    log('detect-reg', [0, 1, 2].map((i) => ({ id: `q${i}`, at: T0 + i, outputs: { y: [i] }, label: i * 2 })));
    const r = await report({ current: all('detect-reg'), task: 'regression', prediction: 'y', detectors: { adwin: {} } });
    expect(r.detectors).toEqual({ stream: 'absolute_error', length: 3, adwin: { detections: [], width: 3, estimation: 1 } });
    expect(await refusal({ current: all('detect-reg'), task: 'regression', prediction: 'y', detectors: { adwin: { delta: 2 } } })).toMatch(/detectors.adwin.delta/);
    expect(await refusal({ current: all('detect-reg'), task: 'regression', prediction: 'y', detectors: { cusum: {} } })).toMatch(/Unrecognized key/);
  });
});
