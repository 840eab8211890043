import { describe, expect, it } from 'vitest';
import { detectColumnDrift } from '../drift/index.js';
import { buildDriftReport } from './build-report.js';
import { evidentlyReport } from './evidently-json.js';

const AT = new Date('2025-03-04T05:06:07.000Z');
const ages = Array.from({ length: 60 }, (_, i) => 20 + (i % 30));
const olderAges = Array.from({ length: 40 }, (_, i) => 35 + (i % 30));
const plans = Array.from({ length: 60 }, (_, i) => ['free', 'pro', 'team'][i % 3]!);
const laterPlans = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'pro' : 'free'));

describe('the Evidently-shaped JSON report', () => {
  const report = buildDriftReport({ age: ages, plan: plans }, { age: olderAges, plan: laterPlans }, { generatedAt: AT, title: 'Churn' });
  const doc = evidentlyReport(report);
  const [dataset, table] = doc.metrics;

  it("is wrapped like Evidently's Report.json(): a timestamp and the DatasetDriftMetric and DataDriftTable results", () => {
    expect(Object.keys(doc)).toEqual(['timestamp', 'metrics', 'capstan']);
    expect(doc.timestamp).toBe('2025-03-04T05:06:07.000Z');
    expect(doc.metrics.map((m) => m.metric)).toEqual(['DatasetDriftMetric', 'DataDriftTable']);
    expect(dataset.result).toEqual({ drift_share: 0.5, number_of_columns: 2, number_of_drifted_columns: 2, share_of_drifted_columns: 1, dataset_drift: true });
    expect(Object.keys(table.result)).toEqual(['number_of_columns', 'number_of_drifted_columns', 'share_of_drifted_columns', 'dataset_drift', 'drift_by_columns']);
    expect(table.result).toMatchObject({ number_of_columns: 2, number_of_drifted_columns: 2, share_of_drifted_columns: 1, dataset_drift: true });
    expect(doc.capstan).toEqual({ title: 'Churn', reference_rows: 60, current_rows: 40, skipped_columns: [] });
  });

  it("writes each column with Evidently's field names, its num/cat spelling and its display name of the test", () => {
    const age = table.result.drift_by_columns.age!;
    const expected = detectColumnDrift(ages, olderAges, { column: 'age' });
    expect(Object.keys(age)).toEqual(['column_name', 'column_type', 'stattest_name', 'stattest_threshold', 'drift_score', 'drift_detected', 'current', 'reference']);
    expect(age).toMatchObject({ column_name: 'age', column_type: 'num', stattest_name: 'K-S p_value', stattest_threshold: 0.05, drift_score: expected.score, drift_detected: true });
    const plan = table.result.drift_by_columns.plan!;
    expect(plan).toMatchObject({ column_name: 'plan', column_type: 'cat', stattest_name: 'chi-square p_value', stattest_threshold: 0.05, drift_detected: true });
  });

  it('gives numerical small distributions as shared bin edges and densities that integrate to 1', () => {
    const age = table.result.drift_by_columns.age!;
    const ref = age.reference.small_distribution;
    const cur = age.current.small_distribution;
    expect(ref.x).toEqual(cur.x);
    expect(ref.x).toHaveLength(ref.y.length + 1);
    expect(ref.x[0]).toBe(20);
    expect(ref.x.at(-1)).toBe(64);
    for (const side of [ref, cur]) {
      const xs = side.x as number[];
      const area = (side.y as number[]).reduce((sum, density, i) => sum + density * (xs[i + 1]! - xs[i]!), 0);
      expect(area).toBeCloseTo(1, 12);
    }
  });

  it('gives categorical small distributions as categories and counts', () => {
    const plan = table.result.drift_by_columns.plan!;
    expect(plan.reference.small_distribution).toEqual({ x: ['free', 'pro', 'team'], y: [20, 20, 20] });
    expect(plan.current.small_distribution).toEqual({ x: ['free', 'pro', 'team'], y: [30, 10, 0] });
  });

  it('labels the bucket of folded categories with how many it holds', () => {
    const many = Array.from({ length: 100 }, (_, i) => `c${i % 25}`);
    const doc = evidentlyReport(buildDriftReport({ c: many }, { c: many }, { generatedAt: AT, topCategories: 10 }));
    const small = doc.metrics[1].result.drift_by_columns.c!.reference.small_distribution;
    expect(small.x).toHaveLength(11);
    expect(small.x.at(-1)).toBe('(other: 15 categories)');
    expect(small.y.at(-1)).toBe(60);
  });

  it('spells a non-finite score out instead of letting JSON turn it into null', () => {
    // No test yields NaN or Infinity as a score on valid input: the score is set by hand to check the spelling.
    const report = buildDriftReport({ x: [1, 2, 3, 4, 5, 6, 7, 8] }, { x: [1, 2, 3, 4, 5, 6, 7, 8] }, { generatedAt: AT });
    const column = report.columns[0]!;
    const nan = { ...report, columns: [{ ...column, drift: { ...column.drift, score: Number.NaN } }] };
    const inf = { ...report, columns: [{ ...column, drift: { ...column.drift, score: Number.POSITIVE_INFINITY } }] };
    expect(JSON.parse(JSON.stringify(evidentlyReport(nan))).metrics[1].result.drift_by_columns.x.drift_score).toBe('NaN');
    expect(JSON.parse(JSON.stringify(evidentlyReport(inf))).metrics[1].result.drift_by_columns.x.drift_score).toBe('Infinity');
  });

  it('lists skipped columns under capstan and leaves them out of the counts', () => {
    const doc = evidentlyReport(buildDriftReport({ x: ages, empty: ages.map(() => null) }, { x: olderAges, empty: olderAges }, { generatedAt: AT }));
    expect(doc.metrics[0].result.number_of_columns).toBe(1);
    expect(Object.keys(doc.metrics[1].result.drift_by_columns)).toEqual(['x']);
    expect(doc.capstan.skipped_columns).toEqual([{ column: 'empty', reason: "An empty column 'empty' was provided for drift calculation in the reference dataset." }]);
  });

  it('keeps a column named __proto__ as an ordinary key', () => {
    const doc = evidentlyReport(buildDriftReport({ ['__proto__']: ages }, { ['__proto__']: olderAges }, { generatedAt: AT, columns: ['__proto__'] }));
    const parsed = JSON.parse(JSON.stringify(doc));
    expect(Object.keys(parsed.metrics[1].result.drift_by_columns)).toEqual(['__proto__']);
  });
});
