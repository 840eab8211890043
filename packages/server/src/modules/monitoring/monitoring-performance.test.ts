import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../app/test-support/test-app.js';
import { publishModel } from '../serving/test-support/publish-model.js';
import { Adwin, PageHinkley } from './performance/index.js';
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
} from './test-support/reference-metrics.js';

const API = '/api/capstan/v1';

/** A row sent to the tabular fraud model, what it answered, and the label posted for it later (if any). */
interface Row {
  requestId: string;
  index: number;
  amount: number;
  country: string;
  hour: number;
  predicted: number;
  probabilities: number[];
  truth: number;
  labelled: boolean;
  at: number;
}

interface IrisRow {
  requestId: string;
  predicted: number;
  probabilities: number[];
  truth: number;
  labelled: boolean;
}

/**
 * "Labels posted later produce performance metrics", end to end: a real ONNX classifier
 * (fixtures/models/serving/fraud-tabular, binary, inputs amount/country/hour) and the iris model
 * (three classes) are served; requests of one and three rows go through the Open Inference
 * Protocol; labels for about two thirds of them are posted afterwards through
 * `POST /deployments/{name}/labels`; the performance report over the inference log must then equal
 * scikit-learn's definitions computed here from what was sent, what the model answered and what was
 * labelled (test-support/reference-metrics.ts). There is no regression model among the fixtures,
 * so the regression path scores the classifier's probability output against the 0/1 labels.
 */
describe('performance of served models from labels posted later', () => {
  let t: TestApp;
  const rows: Row[] = [];
  const iris: IrisRow[] = [];
  const requests: { id: string; rows: Row[] }[] = [];
  let phases: { first: { from: number; to: number }; second: { from: number; to: number }; all: { from: number; to: number } };

  const performance = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `${API}/monitoring/performance`, payload });
  const report = async (payload: Record<string, unknown>) => {
    const res = await performance(payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().performance;
  };
  const postLabels = async (deployment: string, labels: { request_id: string; label: unknown }[]) => {
    const res = await t.app.inject({ method: 'POST', url: `${API}/deployments/${deployment}/labels`, payload: { labels } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const waitForLog = async (deployment: string, count: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const log = await t.app.inject({ method: 'GET', url: `${API}/deployments/${deployment}/inference-log?limit=1000` });
      const records = log.json().records as { request_id: string; at: number }[];
      if (records.length >= count) return records;
      if (Date.now() > deadline) throw new Error('the inference log did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const outputOf = (body: { outputs: { name: string; data: number[] }[] }, name: string) => body.outputs.find((o) => o.name === name)!.data;

  async function sendTabular(requestId: string, batch: Omit<Row, 'predicted' | 'probabilities' | 'at' | 'requestId' | 'index'>[]): Promise<Row[]> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/models/tabular/infer',
      headers: { 'x-request-id': requestId },
      payload: {
        inputs: [
          { name: 'amount', datatype: 'FP64', shape: [batch.length], data: batch.map((r) => r.amount) },
          { name: 'country', datatype: 'BYTES', shape: [batch.length], data: batch.map((r) => r.country) },
          { name: 'hour', datatype: 'INT64', shape: [batch.length], data: batch.map((r) => r.hour) },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const label = outputOf(res.json(), 'label');
    const probabilities = outputOf(res.json(), 'probabilities');
    return batch.map((r, i) => ({ ...r, requestId, index: i, predicted: label[i]!, probabilities: [probabilities[2 * i]!, probabilities[2 * i + 1]!], at: 0 }));
  }

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await publishModel(t, 'serving/fraud-tabular', 'fraud-tabular');
    await publishModel(t, 'iris-onnx', 'iris');
    for (const [name, model] of [['tabular', 'fraud-tabular'], ['iris', 'iris']]) {
      const created = await t.app.inject({ method: 'PUT', url: `${API}/deployments/${name}`, payload: { name, spec: { models: [{ uri: `models:/${model}/1` }] } } });
      expect(created.statusCode, created.body).toBeLessThan(300);
    }
    await t.serving.settle();

    // 48 requests, every fourth of three rows; labels drawn from the model's own probability so
    // that it is right most of the time but not always; two requests in three get labelled.
    const random = seeded(42);
    const countries = ['US', 'GB', 'FR', 'IN'];
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const size = i % 4 === 3 ? 3 : 1;
        const batch = Array.from({ length: size }, () => ({
          amount: Math.round((20 + random() * 400) * 100) / 100,
          country: countries[Math.floor(random() * countries.length)]!,
          hour: Math.floor(random() * 24),
          truth: 0,
          labelled: i % 3 !== 1,
        }));
        const answered = await sendTabular(`tab-${i}`, batch);
        for (const r of answered) r.truth = random() < r.probabilities[1]! ? 1 : 0;
        // One row of one three-row request stays unlabelled (null in the label array).
        if (i === 3) answered[1]!.labelled = false;
        requests.push({ id: `tab-${i}`, rows: answered });
        rows.push(...answered);
      }
    };
    const start = Date.now();
    await send(0, 24);
    await new Promise((r) => setTimeout(r, 30));
    const middle = Date.now();
    await send(24, 48);
    const end = Date.now() + 1;
    phases = { first: { from: start, to: middle }, second: { from: middle, to: end }, all: { from: start, to: end } };
    const logged = await waitForLog('tabular', 48);
    const at = new Map(logged.map((r) => [r.request_id, r.at]));
    for (const r of rows) r.at = at.get(r.requestId)!;

    // Iris: 24 requests of one or two rows; a label differs from the prediction every fifth row.
    const flowers = [
      [5.1, 3.5, 1.4, 0.2],
      [6.1, 3.0, 4.9, 1.8],
      [5.9, 2.8, 4.3, 1.3],
      [6.7, 3.1, 5.6, 2.4],
      [4.9, 2.4, 3.3, 1.0],
      [6.3, 2.9, 5.6, 1.8],
    ];
    for (let i = 0; i < 24; i++) {
      const size = i % 5 === 4 ? 2 : 1;
      const batch = Array.from({ length: size }, (_, k) => flowers[(i + k) % flowers.length]!.map((x) => x + (random() - 0.5) * 0.4));
      const res = await t.app.inject({
        method: 'POST',
        url: '/v2/models/iris/infer',
        headers: { 'x-request-id': `iris-${i}` },
        payload: { inputs: [{ name: 'input', datatype: 'FP32', shape: [size, 4], data: batch.flat() }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const label = outputOf(res.json(), 'label');
      const probabilities = outputOf(res.json(), 'probabilities');
      batch.forEach((_, k) => {
        const n = iris.length;
        iris.push({ requestId: `iris-${i}`, predicted: label[k]!, probabilities: probabilities.slice(3 * k, 3 * k + 3), truth: n % 5 === 0 ? (label[k]! + 1) % 3 : label[k]!, labelled: i % 4 !== 0 });
      });
    }
    await waitForLog('iris', 24);
  });
  afterAll(async () => t?.cleanup());

  const labelsFor = (list: { id: string; rows: Row[] }[]) =>
    list
      .filter((q) => q.rows[0]!.labelled || q.rows.some((r) => r.labelled))
      .map((q) => ({ request_id: q.id, label: q.rows.length === 1 ? q.rows[0]!.truth : q.rows.map((r) => (r.labelled ? r.truth : null)) }));
  const labelled = (list: readonly Row[]) => list.filter((r) => r.labelled);
  const binaryBody = { current: { deployment: 'tabular', from: 0, to: 0 }, task: 'classification', prediction: 'label', scores: 'probabilities[1]' };

  it('answers no_labels before labels arrive, and scikit-learn figures once they do', async () => {
    const before = await report({ ...binaryBody, current: { deployment: 'tabular', ...phases.all } });
    expect(before).toMatchObject({ status: 'no_labels', requests: 48, labelled_requests: 0, rows: 72, labelled_rows: 0, unlabelled_rows: 72, label_coverage: 0, metrics: null });

    await postLabels('tabular', labelsFor(requests));
    const r = await report({ ...binaryBody, current: { deployment: 'tabular', ...phases.all } });
    const scored = labelled(rows);
    const y = scored.map((s) => s.truth);
    const p = scored.map((s) => s.predicted);
    const s = scored.map((q) => q.probabilities[1]!);
    expect(scored.length).toBe(47);
    expect(r).toMatchObject({
      status: 'ok',
      classes: [0, 1],
      average: 'binary',
      positive_label: 1,
      requests: 48,
      labelled_requests: 32,
      rows: 72,
      labelled_rows: 47,
      unlabelled_rows: 25,
      label_coverage: 47 / 72,
    });
    const positive = classScores(y, p, 1);
    expect(r.metrics).toMatchObject({ count: 47, accuracy: accuracyOf(y, p) });
    expect(r.metrics.precision).toBeCloseTo(positive.precision, 14);
    expect(r.metrics.recall).toBeCloseTo(positive.recall, 14);
    expect(r.metrics.f1).toBeCloseTo(positive.f1, 14);
    expect(r.metrics.roc_auc).toBeCloseTo(rocAucByPairs(y.map((v) => v === 1), s), 12);
    expect(r.metrics.pr_auc).toBeCloseTo(averagePrecisionByThresholds(y.map((v) => v === 1), s), 12);
    expect(r.metrics.log_loss).toBeCloseTo(logLossOf(y, s.map((q) => [1 - q, q])), 12);
    expect(r.metrics.confusion_matrix).toEqual({ labels: [0, 1], matrix: confusion(y, p, [0, 1]) });
    expect(r.metrics.per_class).toEqual([0, 1].map((c) => ({ label: c, ...classScores(y, p, c) })).map((c) => ({ ...c, precision: expect.closeTo(c.precision, 14), recall: expect.closeTo(c.recall, 14), f1: expect.closeTo(c.f1, 14) })));
    // The two probability columns name the classes in order: the same figures.
    const both = await report({ ...binaryBody, current: { deployment: 'tabular', ...phases.all }, scores: ['probabilities[0]', 'probabilities[1]'] });
    expect(both.metrics.roc_auc).toBeCloseTo(r.metrics.roc_auc, 12);
    expect(both.metrics.log_loss).toBeCloseTo(logLossOf(y, scored.map((q) => q.probabilities)), 12);
  });

  it('scores time windows and segments of the logged traffic', async () => {
    const windowMs = 25;
    const r = await report({ ...binaryBody, current: { deployment: 'tabular', ...phases.all }, window_ms: windowMs, segment_by: 'country' });
    const starts = [...new Set(rows.map((q) => Math.floor(q.at / windowMs) * windowMs))].sort((a, b) => a - b);
    expect(r.windows.map((w: { window_start: number }) => w.window_start)).toEqual(starts);
    expect(r.windows.length).toBeGreaterThan(1);
    for (const w of r.windows) {
      const members = rows.filter((q) => q.at >= w.window_start && q.at < w.window_end);
      const scored = labelled(members);
      expect(w).toMatchObject({ window_end: w.window_start + windowMs, rows: members.length, labelled_rows: scored.length, label_coverage: scored.length / members.length });
      if (scored.length === 0) {
        expect(w.metrics).toBeNull();
        continue;
      }
      const y = scored.map((q) => q.truth);
      const p = scored.map((q) => q.predicted);
      expect(w.metrics.accuracy).toBe(accuracyOf(y, p));
      expect(w.metrics.f1).toBeCloseTo(classScores(y, p, 1).f1, 14);
      expect(w.metrics.confusion_matrix.matrix).toEqual(confusion(y, p, [0, 1]));
    }
    const countries = [...new Set(rows.map((q) => q.country))].sort();
    expect(r.segments.map((g: { segment: string }) => g.segment)).toEqual(countries);
    for (const g of r.segments) {
      const members = rows.filter((q) => q.country === g.segment);
      const scored = labelled(members);
      expect(g).toMatchObject({ rows: members.length, labelled_rows: scored.length });
      const y = scored.map((q) => q.truth);
      const p = scored.map((q) => q.predicted);
      expect(g.metrics.accuracy).toBe(accuracyOf(y, p));
      expect(g.metrics.recall).toBeCloseTo(classScores(y, p, 1).recall, 14);
      if (new Set(y).size === 2) expect(g.metrics.roc_auc).toBeCloseTo(rocAucByPairs(y.map((v) => v === 1), scored.map((q) => q.probabilities[1]!)), 12);
      else expect(g.metrics.roc_auc).toBeNull();
    }
  });

  it('scores a three-class model with its probability columns', async () => {
    const labels = [...new Set(iris.map((r) => r.requestId))].flatMap((id) => {
      const members = iris.filter((r) => r.requestId === id);
      if (!members[0]!.labelled) return [];
      return [{ request_id: id, label: members.length === 1 ? members[0]!.truth : members.map((r) => r.truth) }];
    });
    await postLabels('iris', labels);
    const r = await report({ current: { deployment: 'iris', ...phases.all, to: Date.now() + 1 }, task: 'classification', prediction: 'label', scores: ['probabilities[0]', 'probabilities[1]', 'probabilities[2]'] });
    const scored = iris.filter((q) => q.labelled);
    const y = scored.map((q) => q.truth);
    const p = scored.map((q) => q.predicted);
    expect(new Set(y).size).toBe(3);
    const m = macroScores(y, p);
    expect(r).toMatchObject({ classes: [0, 1, 2], average: 'macro', positive_label: null, rows: iris.length, labelled_rows: scored.length });
    expect(r.metrics.accuracy).toBe(accuracyOf(y, p));
    expect(r.metrics.precision).toBeCloseTo(m.precision, 14);
    expect(r.metrics.recall).toBeCloseTo(m.recall, 14);
    expect(r.metrics.f1).toBeCloseTo(m.f1, 14);
    const ovr = [0, 1, 2].map((c) => rocAucByPairs(y.map((v) => v === c), scored.map((q) => q.probabilities[c]!)));
    expect(r.metrics.roc_auc).toBeCloseTo((ovr[0]! + ovr[1]! + ovr[2]!) / 3, 12);
    expect(r.metrics.log_loss).toBeCloseTo(logLossOf(y, scored.map((q) => q.probabilities)), 12);
    expect(r.metrics.confusion_matrix.matrix).toEqual(confusion(y, p, [0, 1, 2]));
  });

  it('scores a numeric output as a regression', async () => {
    const r = await report({ current: { deployment: 'tabular', ...phases.all }, task: 'regression', prediction: 'probabilities[1]' });
    const scored = labelled(rows);
    const expected = regressionOf(scored.map((q) => q.truth), scored.map((q) => q.probabilities[1]!));
    expect(r).toMatchObject({ task: 'regression', status: 'ok', labelled_rows: 47 });
    // MAPE divides by max(|y|, 2^-52): the 0 labels make it about 10^15, so it is compared relatively.
    for (const key of ['mae', 'rmse', 'mape', 'r2'] as const) expect(Math.abs(r.metrics[key] - expected[key]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[key]!)));
    expect(r.metrics.mape).toBeGreaterThan(1e12);
    expect(r.classes).toBeUndefined();
  });

  it('estimates the unlabelled rows with CBPE against a labelled reference window', async () => {
    const chunkSize = 6;
    const r = await report({
      ...binaryBody,
      current: { deployment: 'tabular', ...phases.second },
      reference: { deployment: 'tabular', ...phases.first },
      cbpe: { calibrate: false, chunk_size: chunkSize, rows: 'unlabelled' },
    });
    const reference = labelled(rows.filter((q) => q.at < phases.first.to));
    const chunks = Array.from({ length: Math.floor(reference.length / chunkSize) }, (_, c) => {
      const part = reference.slice(c * chunkSize, (c + 1) * chunkSize);
      return realizedChunk(part.map((q) => q.truth as 0 | 1), part.map((q) => q.predicted as 0 | 1), part.map((q) => q.probabilities[1]!));
    });
    expect(r.estimation.reference).toMatchObject({ rows: reference.length, chunk_size: chunkSize, chunks: chunks.length, calibrated: false });
    const unlabelled = rows.filter((q) => q.at >= phases.second.from && !q.labelled);
    const expected = expectedConfusion(unlabelled.map((q) => q.probabilities[1]!), unlabelled.map((q) => q.predicted as 0 | 1));
    expect(r.estimation.overall.rows).toBe(unlabelled.length);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      const band = bandOf(chunks.map((c) => c[metric]));
      const got = r.estimation.reference.bands[metric];
      if (band === null) expect(got).toBeNull();
      else expect(got).toEqual({ lower: expect.closeTo(band.lower, 12), upper: expect.closeTo(band.upper, 12) });
      expect(r.estimation.overall.estimated[metric]).toBeCloseTo(expected[metric], 12);
      const outside = band !== null && (expected[metric] < band.lower || expected[metric] > band.upper);
      expect(r.estimation.overall.alerts.includes(metric), metric).toBe(outside);
    }
  });

  it('runs Page-Hinkley and ADWIN over the error stream in time order', async () => {
    const r = await report({ ...binaryBody, current: { deployment: 'tabular', ...phases.all }, detectors: { page_hinkley: { threshold: 3, min_instances: 10 }, adwin: {} } });
    const stream = labelled([...rows].sort((a, b) => a.at - b.at || 0)).map((q) => (q.truth === q.predicted ? 0 : 1));
    const ph = new PageHinkley({ threshold: 3, minInstances: 10 });
    const adwin = new Adwin();
    const expectedPh = stream.flatMap((x, i) => (ph.update(x).driftDetected ? [i] : []));
    const expectedAdwin = stream.flatMap((x, i) => (adwin.update(x).driftDetected ? [i] : []));
    expect(r.detectors).toMatchObject({ stream: 'misclassification', length: 47 });
    expect(r.detectors.page_hinkley.detections.map((d: { index: number }) => d.index)).toEqual(expectedPh);
    expect(r.detectors.adwin.detections.map((d: { index: number }) => d.index)).toEqual(expectedAdwin);
    expect(r.detectors.adwin.width).toBe(adwin.width);
  });

  it('refuses what it cannot score, in words', async () => {
    const all = { deployment: 'tabular', ...phases.all };
    const unknown = await performance({ ...binaryBody, current: all, prediction: 'score' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid performance request: current: no request in the window logged an output 'score'; the logged outputs are 'label', 'probabilities[0]', 'probabilities[1]'",
    });
    const segment = await performance({ ...binaryBody, current: all, segment_by: 'region' });
    expect(segment.json().message).toBe(
      "Invalid performance request: current: segment_by names 'region', which no request in the window logged as an input; the logged inputs are 'amount', 'country', 'hour'",
    );
    const ghost = await performance({ ...binaryBody, current: { deployment: 'ghost', from: 0, to: 1 } });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json().message).toBe("Deployment 'ghost' not found");
    const missing = await performance({ current: all, task: 'classification' });
    expect(missing.json().message).toBe('Invalid performance request: prediction: required');

    // Labels that do not fit, on traffic of its own so the other cases stay clean.
    const from = Date.now();
    await sendTabular('bad-type', [{ amount: 10, country: 'US', hour: 1, truth: 0, labelled: true }]);
    await sendTabular('bad-shape', [0, 1, 2].map(() => ({ amount: 10, country: 'GB', hour: 2, truth: 0, labelled: true })));
    await waitForLog('tabular', 50);
    const window = { deployment: 'tabular', from, to: Date.now() + 1 };
    await postLabels('tabular', [{ request_id: 'bad-type', label: 'fraud' }]);
    const typed = await performance({ ...binaryBody, current: window });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().message).toMatch(/request 'bad-type' row 0 is labelled "fraud" \(string\) but the predictions in 'label' are numbers/);
    await postLabels('tabular', [{ request_id: 'bad-type', label: 1 }, { request_id: 'bad-shape', label: [1, 0] }]);
    const shaped = await performance({ ...binaryBody, current: window });
    expect(shaped.json().message).toMatch(/the label of request 'bad-shape' is an array of 2 values but the request logged 3 rows/);
    // A later label replaces the earlier one, and the window is scored.
    await postLabels('tabular', [{ request_id: 'bad-shape', label: [1, 0, null] }]);
    expect(await report({ ...binaryBody, current: window })).toMatchObject({ status: 'ok', rows: 4, labelled_rows: 3, requests: 2, labelled_requests: 2 });
  });
});
