/**
 * Checks every case of fixtures/monitoring/performance-cases.json (written by
 * scripts/fixtures/make-performance-cases.py with scikit-learn 1.2): metrics to a relative error of
 * 1e-9 (absolute 1e-12 near zero), counts and confusion matrices exactly, and scikit-learn's
 * refusals as PerformanceErrors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  PerformanceError,
  accuracy,
  averagePrecision,
  classReport,
  confusionMatrix,
  f1,
  fitIsotonic,
  logLoss,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  precision,
  predictIsotonic,
  r2Score,
  recall,
  rocAuc,
  rocAucOvr,
  rootMeanSquaredError,
  type Average,
  type Label,
} from './index.js';
import { asArray, isObject, readMonitoringFixture, type Json, type JsonObject } from '../test-support/fixture-json.js';

const RELATIVE = 1e-9;
const ABSOLUTE = 1e-12;


function asNumber(v: Json | undefined): number {
  if (typeof v !== 'number') throw new Error(`fixture: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

function asLabel(v: Json): Label {
  if (typeof v !== 'number' && typeof v !== 'string') throw new Error(`fixture: bad label ${JSON.stringify(v)}`);
  return v;
}

const numbers = (v: Json | undefined): number[] => asArray(v).map(asNumber);
const labelsOf = (v: Json | undefined): Label[] => asArray(v).map(asLabel);
const rowsOf = (v: Json | undefined): number[][] => asArray(v).map(numbers);

const fixture = readMonitoringFixture('performance-cases.json') as JsonObject;
const cases = asArray(fixture.cases).map((c) => {
  if (!isObject(c) || c.expected === undefined) throw new Error('fixture: bad case');
  return c;
});

let compared = 0;
const worst = { relative: 0, relativeCase: '', absolute: 0, absoluteCase: '' };

/** Empty when close enough (or both refused); otherwise a description of the mismatch. */
function check(label: string, expected: Json | undefined, run: () => number): string {
  if (isObject(expected) && expected.error === true) {
    try {
      return `${label}: expected an error, got ${run()}`;
    } catch (error) {
      return error instanceof PerformanceError ? '' : `${label}: threw ${String(error)}`;
    }
  }
  const want = asNumber(expected);
  let actual: number;
  try {
    actual = run();
  } catch (error) {
    return `${label}: threw ${String(error)}, expected ${want}`;
  }
  compared++;
  const error = Math.abs(actual - want);
  if (Math.abs(want) >= 1e-3 && error / Math.abs(want) > worst.relative) {
    worst.relative = error / Math.abs(want);
    worst.relativeCase = label;
  } else if (Math.abs(want) < 1e-3 && error > worst.absolute) {
    worst.absolute = error;
    worst.absoluteCase = label;
  }
  return error <= Math.max(RELATIVE * Math.abs(want), ABSOLUTE) ? '' : `${label}: ${actual} != ${want} (error ${error})`;
}

afterAll(() => {
  console.log(
    `performance fixtures: ${cases.length} cases, ${compared} numbers compared; worst relative error ` +
      `${worst.relative.toExponential(2)} (${worst.relativeCase}); worst absolute error below 1e-3 ` +
      `${worst.absolute.toExponential(2)} (${worst.absoluteCase})`,
  );
});

function labelProblems(c: JsonObject, i: number, averages: readonly Average[]): string[] {
  const expected = c.expected as JsonObject;
  const yTrue = labelsOf(c.yTrue);
  const yPred = labelsOf(c.yPred);
  const out = [check(`#${i} accuracy`, expected.accuracy, () => accuracy(yTrue, yPred))];
  for (const average of averages) {
    const want = expected[average] as JsonObject;
    const options = { average, positiveLabel: 1 };
    out.push(
      check(`#${i} ${average} precision`, want.precision, () => precision(yTrue, yPred, options)),
      check(`#${i} ${average} recall`, want.recall, () => recall(yTrue, yPred, options)),
      check(`#${i} ${average} f1`, want.f1, () => f1(yTrue, yPred, options)),
    );
  }
  const report = expected.report as JsonObject;
  const labels = labelsOf(report.labels);
  const actualReport = classReport(yTrue, yPred, labels);
  labels.forEach((label, j) => {
    const row = actualReport[j];
    out.push(
      check(`#${i} report ${label} precision`, asArray(report.precision)[j], () => row.precision),
      check(`#${i} report ${label} recall`, asArray(report.recall)[j], () => row.recall),
      check(`#${i} report ${label} f1`, asArray(report.f1)[j], () => row.f1),
    );
    if (row.support !== asArray(report.support)[j] || row.label !== label) out.push(`#${i} report ${label}: support/label`);
  });
  const matrix = confusionMatrix(yTrue, yPred, labels);
  if (JSON.stringify(matrix.matrix) !== JSON.stringify(expected.confusion)) out.push(`#${i} confusion matrix`);
  return out;
}

const byKind = (kind: string): [JsonObject, number][] =>
  cases.map((c, i): [JsonObject, number] => [c, i]).filter(([c]) => c.kind === kind);

describe('performance metrics against scikit-learn fixtures', () => {
  it('has enough cases of every kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    for (const kind of ['binary', 'multiclass', 'regression', 'isotonic']) expect(byKind(kind).length).toBeGreaterThanOrEqual(40);
  });

  it('binary classification matches', () => {
    const problems = byKind('binary').flatMap(([c, i]) => {
      const expected = c.expected as JsonObject;
      const yTrue = labelsOf(c.yTrue);
      const scores = numbers(c.scores);
      return [
        ...labelProblems(c, i, ['binary', 'macro', 'micro', 'weighted']),
        check(`#${i} rocAuc`, expected.rocAuc, () => rocAuc(yTrue, scores)),
        check(`#${i} averagePrecision`, expected.averagePrecision, () => averagePrecision(yTrue, scores)),
        check(`#${i} logLoss`, expected.logLoss, () => logLoss(yTrue, numbers(c.logLossProbabilities), [0, 1])),
      ];
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('multiclass classification matches', () => {
    const problems = byKind('multiclass').flatMap(([c, i]) => {
      const expected = c.expected as JsonObject;
      const yTrue = labelsOf(c.yTrue);
      const rows = rowsOf(c.probabilities);
      return [
        ...labelProblems(c, i, ['macro', 'micro', 'weighted']),
        check(`#${i} rocAucOvr`, expected.rocAucOvr, () => rocAucOvr(yTrue, rows)),
        check(`#${i} logLoss`, expected.logLoss, () => logLoss(yTrue, rows)),
      ];
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('regression matches', () => {
    const problems = byKind('regression').flatMap(([c, i]) => {
      const expected = c.expected as JsonObject;
      const yTrue = numbers(c.yTrue);
      const yPred = numbers(c.yPred);
      return [
        check(`#${i} mae`, expected.mae, () => meanAbsoluteError(yTrue, yPred)),
        check(`#${i} rmse`, expected.rmse, () => rootMeanSquaredError(yTrue, yPred)),
        check(`#${i} mape`, expected.mape, () => meanAbsolutePercentageError(yTrue, yPred)),
        check(`#${i} r2`, expected.r2, () => r2Score(yTrue, yPred)),
      ];
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('covers constant targets (R² conventions) and zero targets (MAPE guard)', () => {
    const flavours = new Set(byKind('regression').map(([c]) => c.flavour));
    expect([...flavours].sort()).toEqual(['constant', 'integers', 'perfect-constant', 'random', 'zeros']);
  });

  it('isotonic calibration matches IsotonicRegression(out_of_bounds="clip")', () => {
    const problems = byKind('isotonic').flatMap(([c, i]) => {
      const fit = fitIsotonic(numbers(c.x), numbers(c.y));
      const expected = asArray(c.expected);
      return numbers(c.queries).map((q, j) => check(`#${i} isotonic(${q})`, expected[j], () => predictIsotonic(fit, q)));
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });
});
