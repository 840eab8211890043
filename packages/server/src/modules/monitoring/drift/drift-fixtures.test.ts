/**
 * Checks every case of fixtures/monitoring/drift-cases.json (written by
 * scripts/fixtures/make-drift-cases.py from scipy/numpy following Evidently's code): statistics and
 * scores to a relative error of 1e-9 (absolute 1e-12 near zero), and the drift decisions exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { besselK, chi2Sf, ndtr, studentTSf } from './numeric/special.js';
import { kstwoSf } from './numeric/kolmogorov.js';
import { Mt19937 } from './numeric/mt19937.js';
import {
  DriftError,
  STAT_TEST_NAMES,
  detectColumnDrift,
  detectDatasetDrift,
  inferColumnType,
  type ColumnType,
  type DatasetDriftOptions,
  type DriftValue,
  type StatTestName,
} from './index.js';
import { asArray, isObject, readMonitoringFixture, type Json, type JsonObject } from '../test-support/fixture-json.js';

const RELATIVE = 1e-9;
const ABSOLUTE = 1e-12;


function asNumber(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (isObject(v) && typeof v.$f === 'string') return Number(v.$f);
  throw new Error(`fixture: expected a number, got ${JSON.stringify(v)}`);
}

function asString(v: Json | undefined): string {
  if (typeof v !== 'string') throw new Error(`fixture: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function asCell(v: Json): DriftValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return asNumber(v);
}

/** A column: inline cells, or {"$gen": ...} = RandomState(seed).random_sample(n) * scale + offset. */
function asColumn(v: Json | undefined): DriftValue[] {
  if (isObject(v) && isObject(v.$gen)) {
    const spec = v.$gen;
    const rng = new Mt19937(asNumber(spec.seed));
    const n = asNumber(spec.n);
    const scale = asNumber(spec.scale);
    const offset = asNumber(spec.offset);
    return Array.from({ length: n }, () => {
      const x = rng.nextDouble() * scale + offset;
      return spec.floor === true ? Math.floor(x) : x;
    });
  }
  return asArray(v).map(asCell);
}

const fixture = readMonitoringFixture('drift-cases.json') as JsonObject;

let compared = 0;
// Worst relative error where the relative bound applies (|expected| >= 1e-3), worst absolute error
// below that, and the largest share of the allowed error any number used.
const worst = { relative: 0, relativeCase: '', absolute: 0, absoluteCase: '', budget: 0 };

/** Empty when close enough; otherwise a description of the mismatch. */
function compare(label: string, actual: number | undefined, expected: number): string {
  if (actual === undefined) return `${label}: missing, expected ${expected}`;
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    return Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected)) ? '' : `${label}: ${actual} != ${expected}`;
  }
  compared++;
  const error = Math.abs(actual - expected);
  const allowed = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
  if (Math.abs(expected) >= 1e-3 && error / Math.abs(expected) > worst.relative) {
    worst.relative = error / Math.abs(expected);
    worst.relativeCase = label;
  } else if (Math.abs(expected) < 1e-3 && error > worst.absolute) {
    worst.absolute = error;
    worst.absoluteCase = label;
  }
  worst.budget = Math.max(worst.budget, error / allowed);
  return error <= allowed ? '' : `${label}: ${actual} != ${expected} (error ${error})`;
}

afterAll(() => {
  console.log(
    `drift fixtures: ${compared} numbers compared; worst relative error ${worst.relative.toExponential(2)} ` +
      `(${worst.relativeCase}); worst absolute error below 1e-3 ${worst.absolute.toExponential(2)} ` +
      `(${worst.absoluteCase}); largest share of the tolerance used ${worst.budget.toExponential(2)}`,
  );
});

interface StatCase {
  readonly label: string;
  readonly test: StatTestName;
  readonly columnType: ColumnType;
  readonly reference: DriftValue[];
  readonly current: DriftValue[];
  readonly threshold?: number;
  readonly seed?: number;
  readonly expected: JsonObject;
}

const statCases: StatCase[] = asArray(fixture.stattests).map((raw, i) => {
  if (!isObject(raw)) throw new Error('fixture: bad stattest case');
  const test = asString(raw.test) as StatTestName;
  if (!isObject(raw.expected)) throw new Error('fixture: case without expected');
  return {
    label: `#${i} ${test}`,
    test,
    columnType: asString(raw.columnType) as ColumnType,
    reference: asColumn(raw.reference),
    current: asColumn(raw.current),
    ...(raw.threshold !== undefined ? { threshold: asNumber(raw.threshold) } : {}),
    ...(raw.seed !== undefined ? { seed: asNumber(raw.seed) } : {}),
    expected: raw.expected,
  };
});

function checkStatCase(c: StatCase): string[] {
  const run = (): ReturnType<typeof detectColumnDrift> =>
    detectColumnDrift(c.reference, c.current, {
      columnType: c.columnType,
      stattest: c.test,
      threshold: c.threshold,
      seed: c.seed,
    });
  if (c.expected.error !== undefined) {
    try {
      run();
      return [`${c.label}: expected an error (${asString(c.expected.error)})`];
    } catch (error) {
      return error instanceof DriftError ? [] : [`${c.label}: threw ${String(error)}`];
    }
  }
  const result = run();
  const problems = [compare(`${c.label} score`, result.score, asNumber(c.expected.score))];
  if (c.expected.statistic === null) {
    if (result.statistic !== undefined) problems.push(`${c.label}: unexpected statistic ${result.statistic}`);
  } else {
    problems.push(compare(`${c.label} statistic`, result.statistic, asNumber(c.expected.statistic)));
  }
  if (result.threshold !== asNumber(c.expected.threshold)) problems.push(`${c.label}: threshold ${result.threshold}`);
  if (result.drifted !== c.expected.drifted) problems.push(`${c.label}: drifted ${result.drifted}`);
  const warning = c.expected.warning === undefined ? undefined : asString(c.expected.warning);
  if (result.warning !== warning) problems.push(`${c.label}: warning ${result.warning} != ${warning}`);
  return problems.filter(Boolean);
}

describe('drift statistics against scipy/Evidently fixtures', () => {
  it('covers every test with plenty of cases', () => {
    for (const name of STAT_TEST_NAMES) {
      expect(statCases.filter((c) => c.test === name).length, name).toBeGreaterThanOrEqual(60);
    }
    expect(statCases.length).toBeGreaterThanOrEqual(1000);
  });

  for (const name of STAT_TEST_NAMES) {
    it(`${name} matches`, () => {
      const problems = statCases.filter((c) => c.test === name).flatMap(checkStatCase);
      expect(problems).toEqual([]);
    });
  }

  it('distribution functions match scipy', () => {
    const special = fixture.special;
    if (!isObject(special)) throw new Error('fixture: no special values');
    const rows = (key: string): number[][] => asArray(special[key]).map((row) => asArray(row).map(asNumber));
    const problems = [
      ...rows('kstwoSf').map(([n, x, sf]) => compare(`kstwo.sf(${x}, ${n})`, kstwoSf(x, n), sf)),
      ...rows('besselK14').map(([x, k]) => compare(`kv(0.25, ${x})`, besselK(0.25, x), k)),
      ...rows('chi2Sf').map(([df, x, sf]) => compare(`chi2.sf(${x}, ${df})`, chi2Sf(x, df), sf)),
      ...rows('ndtr').map(([x, p]) => compare(`ndtr(${x})`, ndtr(x), p)),
      ...rows('studentTSf').map(([df, t, sf]) => compare(`t.sf(${t}, ${df})`, studentTSf(t, df), sf)),
    ].filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('infers column types as Evidently does', () => {
    const problems = asArray(fixture.inference).flatMap((raw, i) => {
      if (!isObject(raw)) throw new Error('fixture: bad inference case');
      const actual = inferColumnType(asColumn(raw.reference), asColumn(raw.current));
      return actual === raw.expected ? [] : [`inference #${i}: ${actual} != ${String(raw.expected)}`];
    });
    expect(problems).toEqual([]);
  });

  it('chooses the default test as Evidently does', () => {
    const problems = asArray(fixture.defaults).flatMap((raw, i) => {
      if (!isObject(raw) || !isObject(raw.expected)) throw new Error('fixture: bad default case');
      const result = detectColumnDrift(asColumn(raw.reference), asColumn(raw.current), {
        columnType: asString(raw.columnType) as ColumnType,
      });
      const ok = result.stattest === raw.expected.stattest && result.threshold === raw.expected.threshold;
      return ok ? [] : [`default #${i}: ${result.stattest}/${result.threshold}`];
    });
    expect(problems).toEqual([]);
  });

  it('decides dataset drift as Evidently does', () => {
    const problems = asArray(fixture.datasets).flatMap((raw, i) => {
      if (!isObject(raw) || !isObject(raw.reference) || !isObject(raw.current) || !isObject(raw.expected)) {
        throw new Error('fixture: bad dataset case');
      }
      const columns = (side: JsonObject): Record<string, DriftValue[]> =>
        Object.fromEntries(Object.entries(side).map(([name, values]) => [name, asColumn(values)]));
      const result = detectDatasetDrift(columns(raw.reference), columns(raw.current), raw.options as DatasetDriftOptions);
      const expected = raw.expected;
      const out: string[] = [];
      asArray(expected.columns).forEach((col, j) => {
        if (!isObject(col)) throw new Error('fixture: bad dataset column');
        const actual = result.columns[j];
        const label = `dataset #${i} ${asString(col.column)}`;
        if (actual.column !== col.column || actual.stattest !== col.stattest || actual.columnType !== col.columnType) {
          out.push(`${label}: ${actual.column}/${actual.stattest}/${actual.columnType}`);
        }
        out.push(compare(`${label} score`, actual.score, asNumber(col.score)));
        if (actual.threshold !== col.threshold || actual.drifted !== col.drifted) out.push(`${label}: threshold/drift`);
      });
      if (result.numberOfDriftedColumns !== expected.numberOfDriftedColumns) out.push(`dataset #${i}: drifted columns`);
      out.push(compare(`dataset #${i} share`, result.shareOfDriftedColumns, asNumber(expected.shareOfDriftedColumns)));
      if (result.datasetDrift !== expected.datasetDrift) out.push(`dataset #${i}: dataset drift`);
      return out.filter(Boolean);
    });
    expect(problems).toEqual([]);
  });
});
