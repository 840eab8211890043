/**
 * What the scikit-learn fixtures cannot cover: CBPE (NannyML is not installable here), the drift
 * detectors (neither is river), windows and segments, and bad input.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Mt19937 } from '../drift/numeric/mt19937.js';
import {
  Adwin,
  PageHinkley,
  PerformanceError,
  accuracy,
  classificationByGroup,
  estimateBinaryPerformance,
  estimateCbpeChunk,
  estimateRocAuc,
  fitCbpe,
  logLoss,
  precision,
  r2Score,
  regressionByGroup,
  rocAuc,
  rocAucOvr,
  type CbpeReference,
} from './index.js';

const FIXTURE = fileURLToPath(new URL('../../../../../../fixtures/monitoring/performance-cases.json', import.meta.url));

/** Seeded 0/1 stream with error rate `before` up to `changeAt`, `after` from there on. */
function errorStream(seed: number, n: number, before: number, after = before, changeAt = n): number[] {
  const rng = new Mt19937(seed);
  return Array.from({ length: n }, (_, i) => (rng.nextDouble() < (i < changeAt ? before : after) ? 1 : 0));
}

function detections(detector: { update(x: number): { driftDetected: boolean } }, stream: readonly number[]): number[] {
  return stream.flatMap((x, i) => (detector.update(x).driftDetected ? [i] : []));
}

describe('Page-Hinkley (river drift.PageHinkley)', () => {
  it('detects where river documents it on river\'s own example stream', () => {
    const stream = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { riverDocStream: number[] }).riverDocStream;
    expect(detections(new PageHinkley(), stream)).toEqual([1006]);
  });

  it('follows the hand-computed statistic, both directions, and restarts after a drift', () => {
    const up = new PageHinkley({ minInstances: 1, delta: 0, threshold: 1 });
    expect([0, 0, 3].map((x) => up.update(x).driftDetected)).toEqual([false, false, true]);
    // mean 1, deviation 2: the upward sum rose 2 above its minimum 0.
    expect(up.testIncrease).toBe(2);
    expect(up.update(0).driftDetected).toBe(false);
    expect(up.sampleCount).toBe(1);

    const down = new PageHinkley({ minInstances: 1, delta: 0, threshold: 1, mode: 'down' });
    expect([3, 3, 0].map((x) => down.update(x).driftDetected)).toEqual([false, false, true]);
    expect(down.testDecrease).toBe(2);
    const upOnly = new PageHinkley({ minInstances: 1, delta: 0, threshold: 1, mode: 'up' });
    expect([3, 3, 0].map((x) => upOnly.update(x).driftDetected)).toEqual([false, false, false]);
  });

  it('waits for minInstances', () => {
    const ph = new PageHinkley({ minInstances: 5, delta: 0, threshold: 1 });
    expect([0, 0, 9, 9, 9].map((x) => ph.update(x).driftDetected)).toEqual([false, false, false, false, true]);
  });

  it('detects an error-rate step from 0.1 to 0.6 within 150 values', () => {
    const found = detections(new PageHinkley(), errorStream(7, 4000, 0.1, 0.6, 2000));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toBeGreaterThanOrEqual(2000);
    expect(found[0] - 2000).toBeLessThan(150);
  });

  // river's threshold is absolute, so the false-alarm rate grows with the stream's variance: over
  // 10,000 values, 0/100 seeds alarm at an error rate of 0.05 but 21/100 at 0.2 (see README.md).
  it.each([1, 2, 3])('stays quiet on 10,000 stationary values at a 5%% error rate (seed %i)', (seed) => {
    expect(detections(new PageHinkley(), errorStream(seed, 10_000, 0.05))).toEqual([]);
  });
});

describe('ADWIN (river drift.ADWIN)', () => {
  it('detects where river documents it on river\'s own example stream', () => {
    const stream = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { riverDocStream: number[] }).riverDocStream;
    expect(detections(new Adwin(), stream)).toEqual([1023]);
  });

  it('keeps exact window statistics through bucket compression', () => {
    const adwin = new Adwin();
    for (let x = 1; x <= 10; x++) adwin.update(x);
    expect(adwin.width).toBe(10);
    expect(adwin.sum).toBe(55);
    expect(adwin.estimation).toBe(5.5);
    expect(adwin.variance).toBeCloseTo(82.5, 12);
  });

  // Cuts are only tested every `clock` (32) values and at bucket boundaries, hence the slack.
  it('detects an error-rate step from 0.1 to 0.6 within 150 values and shrinks its window', () => {
    const adwin = new Adwin();
    const stream = errorStream(11, 4000, 0.1, 0.6, 2000);
    const first = stream.findIndex((x) => adwin.update(x).driftDetected);
    expect(first).toBeGreaterThanOrEqual(2000);
    expect(first - 2000).toBeLessThan(150);
    // At the detection the old part of the window has been dropped (and the next update restarts).
    expect(adwin.width).toBeLessThan(first + 1);
    expect(adwin.detectionCount).toBe(1);
    adwin.update(0);
    expect(adwin.width).toBe(1);
  });

  it('checks every value with clock 1', () => {
    const adwin = new Adwin({ clock: 1 });
    const found = detections(adwin, [...new Array<number>(100).fill(0), ...new Array<number>(100).fill(1)]);
    // The first cut wide enough for |Δmean| = 1 to beat the Hoeffding-style bound, given that the
    // newest bucket of each row is never a cut point (as in river), comes a few dozen values in.
    expect(found[0]).toBeGreaterThanOrEqual(100);
    expect(found[0]).toBeLessThan(150);
  });

  it.each([1, 2, 3])('stays quiet on 10,000 stationary values at a 20%% error rate (seed %i)', (seed) => {
    expect(detections(new Adwin(), errorStream(seed, 10_000, 0.2))).toEqual([]);
  });
});

describe('CBPE (NannyML confidence-based performance estimation)', () => {
  it('estimates the expected confusion matrix by hand', () => {
    // predicted [1, 1, 0, 0]: TP 1.7, FP 0.3, FN 0.4, TN 1.6
    const estimate = estimateBinaryPerformance([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]);
    expect(estimate.accuracy).toBeCloseTo(3.3 / 4, 15);
    expect(estimate.precision).toBeCloseTo(1.7 / 2, 15);
    expect(estimate.recall).toBeCloseTo(1.7 / 2.1, 15);
    expect(estimate.f1).toBeCloseTo(1.7 / 2.05, 15);
  });

  it('estimates ROC AUC as NannyML by hand', () => {
    // thresholds [0.2, 0.8, 1]: TPR [1, 0.9, 0.5], FPR [1, 0.2, 0]; area 0.8·1.9/2 + 0.2·1.4/2
    expect(estimateRocAuc([0.8, 0.2])).toBeCloseTo(0.9, 15);
    // No expected negatives at all: FPR is undefined.
    expect(estimateRocAuc([1, 1])).toBeNull();
  });

  it('leaves precision undefined when nothing is predicted positive', () => {
    expect(estimateBinaryPerformance([0.2, 0.3], [0, 0]).precision).toBeNull();
  });

  it('estimates accuracy as the mean of max(p, 1 − p) for calibrated probabilities', () => {
    const rng = new Mt19937(5);
    const probabilities = Array.from({ length: 1000 }, () => rng.nextDouble());
    const reference: CbpeReference = {
      probabilities,
      labels: probabilities.map((p) => (rng.nextDouble() < p ? 1 : 0)),
    };
    const model = fitCbpe(reference, { chunkSize: 100, calibrate: false });
    const { estimated } = estimateCbpeChunk(model, { probabilities });
    const expected = probabilities.reduce((s, p) => s + Math.max(p, 1 - p), 0) / probabilities.length;
    expect(estimated.accuracy).toBeCloseTo(expected, 12);
  });

  describe('bands and alerts', () => {
    const rng = new Mt19937(42);
    // A calibrated model on the reference: labels drawn from the probabilities.
    const confident = (n: number): number[] => Array.from({ length: n }, () => (rng.nextDouble() < 0.5 ? 0.05 : 0.6) + 0.35 * rng.nextDouble());
    const probabilities = confident(5000);
    const reference: CbpeReference = { probabilities, labels: probabilities.map((p) => (rng.nextDouble() < p ? 1 : 0)) };
    const model = fitCbpe(reference, { chunkSize: 500 });

    it('builds mean ± 3 std bands from the realized reference chunks', () => {
      expect(model.referenceChunks).toHaveLength(10);
      const values = model.referenceChunks.map((c) => c.accuracy ?? NaN);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      expect(model.bands.accuracy?.lower).toBeCloseTo(Math.max(0, mean - 3 * std), 12);
      expect(model.bands.accuracy?.upper).toBeCloseTo(Math.min(1, mean + 3 * std), 12);
      expect(model.calibration).not.toBeNull();
    });

    it('raises no alert on a chunk like the reference', () => {
      const chunk = estimateCbpeChunk(model, { probabilities: confident(500) });
      expect(chunk.alerts).toEqual([]);
      expect(chunk.count).toBe(500);
    });

    it('alerts when the model becomes unsure', () => {
      const unsure = Array.from({ length: 500 }, () => 0.4 + 0.2 * rng.nextDouble());
      const chunk = estimateCbpeChunk(model, { probabilities: unsure });
      expect(chunk.alerts).toContain('accuracy');
      expect(chunk.estimated.accuracy).toBeLessThan(model.bands.accuracy?.lower ?? 0);
    });
  });
});

describe('windows and segments', () => {
  const records = [
    { timestamp: 0, prediction: 1, label: 1, segment: 'eu' },
    { timestamp: 999, prediction: 0, label: 1, segment: 'us' },
    { timestamp: 500, prediction: 1, label: 1, segment: 'eu' },
    { timestamp: 5000, prediction: 0, label: 0, segment: 'eu' },
    { timestamp: -1, prediction: 1, label: 0 },
  ];

  it('aligns windows to the epoch and omits empty ones', () => {
    const groups = classificationByGroup(records, { windowMs: 1000, positiveLabel: 1 });
    expect(groups.map((g) => [g.windowStart, g.windowEnd, g.count])).toEqual([
      [-1000, 0, 1],
      [0, 1000, 3],
      [5000, 6000, 1],
    ]);
    expect(groups[1].accuracy).toBeCloseTo(2 / 3, 15);
    expect(groups[1].recall).toBeCloseTo(2 / 3, 15);
    expect(groups[1].precision).toBe(1);
  });

  it('splits by segment, missing segments as null, within windows', () => {
    const groups = classificationByGroup(records, { windowMs: 1000, bySegment: true });
    expect(groups.map((g) => [g.windowStart, g.segment, g.count])).toEqual([
      [-1000, null, 1],
      [0, 'eu', 2],
      [0, 'us', 1],
      [5000, 'eu', 1],
    ]);
    const segmentsOnly = classificationByGroup(records, { bySegment: true });
    expect(segmentsOnly.map((g) => [g.windowStart, g.segment, g.count])).toEqual([
      [null, null, 1],
      [null, 'eu', 3],
      [null, 'us', 1],
    ]);
  });

  it('scores regression groups, with R² null for a single sample', () => {
    const groups = regressionByGroup(
      [
        { timestamp: 10, prediction: 2, label: 1 },
        { timestamp: 20, prediction: 2, label: 3 },
        { timestamp: 2000, prediction: 5, label: 4 },
      ],
      { windowMs: 1000 },
    );
    expect(groups).toEqual([
      { windowStart: 0, windowEnd: 1000, count: 2, mae: 1, rmse: 1, mape: (1 + 1 / 3) / 2, r2: 0 },
      { windowStart: 2000, windowEnd: 3000, count: 1, mae: 1, rmse: 1, mape: 0.25, r2: null },
    ]);
  });

  it('refuses bad windows and timestamps', () => {
    expect(() => classificationByGroup(records, { windowMs: 0 })).toThrow(/windowMs is 0/);
    expect(() => classificationByGroup([{ timestamp: NaN, prediction: 1, label: 1 }])).toThrow(/timestamp is NaN/);
    expect(() => regressionByGroup([])).toThrow(/records is empty/);
  });
});

describe('bad input gets a clear PerformanceError', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['length mismatch', () => accuracy([1, 0], [1]), /yTrue and yPred have different lengths \(2 and 1\)/],
    ['empty input', () => precision([], []), /yTrue is empty/],
    ['NaN score', () => rocAuc([0, 1], [0.2, NaN]), /scores\[1\] is NaN/],
    ['NaN target', () => r2Score([1, NaN], [1, 2]), /yTrue\[1\] is NaN/],
    ['probability above 1', () => logLoss([0, 1], [0.2, 1.5]), /probabilities\[1\]\[0\] is 1.5: probabilities must lie in \[0, 1\]/],
    ['negative probability', () => estimateRocAuc([-0.1]), /probabilities\[0\] is -0.1/],
    ['mixed label types', () => accuracy([1, 'a'], [1, 'a']), /yTrue mixes numbers and strings/],
    ['multiclass with binary average', () => precision([0, 1, 2], [0, 1, 2]), /average is 'binary'/],
    ['positive label absent', () => precision(['a', 'b'], ['a', 'b']), /positiveLabel 1 is not a valid label/],
    ['single-class ROC AUC', () => rocAuc([1, 1], [0.2, 0.3]), /only one class present/],
    ['rows not summing to 1', () => rocAucOvr([0, 1, 2], [[0.5, 0.5, 0.5], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]), /sums to 1.5/],
    ['single sample R²', () => r2Score([1], [1]), /less than two samples/],
    ['PageHinkley NaN', () => new PageHinkley().update(NaN), /values must be finite/],
    ['ADWIN infinity', () => new Adwin().update(Infinity), /values must be finite/],
    ['ADWIN bad delta', () => new Adwin({ delta: 2 }), /delta is 2/],
    [
      'CBPE too little reference',
      () => fitCbpe({ probabilities: [0.2, 0.8], labels: [0, 1] }, { chunkSize: 2 }),
      /at least two chunks of 2/,
    ],
    ['CBPE bad label', () => fitCbpe({ probabilities: [0.2, 0.8], labels: [0, 2 as 1] }, { chunkSize: 1 }), /labels\[1\] is 2/],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(PerformanceError);
    expect(run).toThrow(message);
  });
});
