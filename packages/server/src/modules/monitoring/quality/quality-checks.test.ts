/** Every check's SUCCESS and FAIL, the derived default conditions, ERROR, SKIPPED and WARNING. */
import { describe, expect, it } from 'vitest';
import { runQualityChecks, type CheckId, type QualityInput, type QualityTestResult } from './index.js';

const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));

function find(input: QualityInput, check: CheckId, column?: string): QualityTestResult {
  const found = runQualityChecks(input).tests.find((t) => t.check === check && t.column === column);
  if (!found) throw new Error(`no ${check} result for ${column ?? 'the dataset'}`);
  return found;
}

describe('missing values', () => {
  const reference = { amount: [...range(99, (i) => i + 0.5), null] }; // share 0.01
  it('derives lte = reference share ± 10% and fails above it, with the numbers in the sentence', () => {
    const current = { amount: [...range(88, (i) => i + 0.5), ...Array<null>(12).fill(null)] };
    const result = find({ reference, current }, 'missing_share', 'amount');
    expect(result.status).toBe('FAIL');
    expect(result.parameters.value).toBe(0.12);
    expect(result.parameters.condition).toEqual({ lte: { kind: 'approx', value: 0.01, relative: 0.1, absolute: 1e-12 } });
    expect(result.description).toBe(
      "The share of missing values in column 'amount' is 0.12 (12 of 100). " +
        'The test threshold is lte=0.01 ± 0.001 (derived from reference: 0.01 ± 10%).',
    );
  });
  it('succeeds within the tolerance (0.011 <= 0.01 + 0.001)', () => {
    const current = { amount: [...range(989, (i) => i + 0.5), ...Array<null>(11).fill(null)] };
    expect(find({ reference, current }, 'missing_share', 'amount').status).toBe('SUCCESS');
  });
  it.each([
    ['null', null],
    ['empty string', ''],
    ['NaN', Number.NaN],
    ['+Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('counts %s as missing, and expects none without a reference', (_label, marker) => {
    const result = find({ current: { x: [1.5, marker, 2.5, 3.5] } }, 'missing_share', 'x');
    expect(result.parameters.value).toBe(0.25);
    expect(result.parameters.condition).toEqual({ eq: 0 });
    expect(result.status).toBe('FAIL');
    expect(result.description).toContain('(default without a reference)');
  });
  it('counts extra markers on top of the defaults', () => {
    const current = { x: ['a', 'N/A', -999, null, 'b'] };
    const report = runQualityChecks({ current, missingValues: ['N/A', -999] });
    expect(report.summary.current.columns[0].missingCount).toBe(3);
  });
  it('checks the share of missing cells over the whole dataset', () => {
    const ref = { a: [1, 2, 3, 4], b: ['x', 'y', null, 'z'] }; // 1 of 8
    const ok = find({ reference: ref, current: { a: [1, 2, 3, 4], b: ['x', null, 'y', 'z'] } }, 'dataset_missing_share');
    expect(ok.status).toBe('SUCCESS');
    expect(ok.parameters.condition).toEqual({ lte: { kind: 'approx', value: 0.125, relative: 0.1, absolute: 1e-12 } });
    const bad = find({ reference: ref, current: { a: [1, null, 3, 4], b: ['x', null, 'y', 'z'] } }, 'dataset_missing_share');
    expect(bad.status).toBe('FAIL');
    expect(bad.description).toBe(
      'The share of missing values in the dataset is 0.25 (2 of 8 cells). The test threshold is lte=0.125 ± 0.0125 (derived from reference: 0.125 ± 10%).',
    );
  });
});

describe('categories and ranges', () => {
  const plans = ['free', 'pro', 'free', 'team', 'free'];
  const reference = { plan: [...plans, ...plans], age: range(10, (i) => 20 + i) };
  it('lists new categories and fails on any', () => {
    const result = find({ reference, current: { plan: [...plans, 'free', 'gold', 'vip', 'gold', 'pro'], age: range(10, (i) => 20 + i) } }, 'new_categories', 'plan');
    expect(result.status).toBe('FAIL');
    expect(result.parameters.value).toBe(2);
    expect(result.description).toBe("Column 'plan' has 2 new categories: 'gold', 'vip'. The test threshold is eq=0 (every category of current was seen in reference).");
    expect(find({ reference, current: reference }, 'new_categories', 'plan').status).toBe('SUCCESS');
  });
  it('skips new categories on a numerical column and without a reference', () => {
    expect(find({ reference, current: reference }, 'new_categories', 'age').status).toBe('SKIPPED');
    expect(find({ current: reference }, 'new_categories', 'plan').status).toBe('SKIPPED');
  });
  it('measures the share out of the reference range (numerical) and set (categorical)', () => {
    const current = { plan: [...plans, 'gold', 'pro', 'gold', 'pro', 'x'], age: [...range(8, (i) => 20 + i), 5, 40] };
    const numerical = find({ reference, current }, 'out_of_range', 'age');
    expect(numerical.status).toBe('FAIL');
    expect(numerical.parameters.value).toBe(0.2);
    expect(numerical.description).toBe(
      "The share of values out of the reference range [20, 29] in column 'age' is 0.2 (2 of 10). The test threshold is eq=0 ± 1e-12 (no value outside the reference).",
    );
    expect(find({ reference, current }, 'out_of_range', 'plan').parameters.value).toBe(0.3);
    expect(find({ reference, current: reference }, 'out_of_range', 'age').status).toBe('SUCCESS');
    expect(find({ reference, current: reference }, 'out_of_range', 'plan').status).toBe('SUCCESS');
  });
});

describe('constant and almost constant columns', () => {
  it('fails a constant column', () => {
    expect(find({ current: { c: ['a', 'a', null] } }, 'constant', 'c').status).toBe('FAIL');
    expect(find({ current: { c: ['a', 'b', null] } }, 'constant', 'c').status).toBe('SUCCESS');
  });
  it('warns, by default, at a most common share >= 0.95', () => {
    const almost = { c: [...Array<string>(19).fill('a'), 'b'] }; // 0.95
    const result = find({ current: almost }, 'almost_constant', 'c');
    expect(result.status).toBe('WARNING');
    expect(result.description).toBe(
      "The most common value in column 'c' is 'a'. Its share is 0.95. The test threshold is lt=0.95 (almost constant at this share).",
    );
    expect(find({ current: { c: [...Array<string>(18).fill('a'), 'b', 'c'] } }, 'almost_constant', 'c').status).toBe('SUCCESS');
    expect(find({ current: almost, checks: { almost_constant: { critical: true } } }, 'almost_constant', 'c').status).toBe('FAIL');
    expect(find({ current: almost, almostConstantShare: 0.96 }, 'almost_constant', 'c').status).toBe('SUCCESS');
  });
  it('counts constant columns against the reference', () => {
    const reference = { a: [1, 1, 1], b: [1, 2, 3] };
    expect(find({ reference, current: { a: [1, 1, 1], b: [1, 2, 3] } }, 'constant_columns').status).toBe('SUCCESS');
    expect(find({ reference, current: { a: [1, 1, 1], b: [2, 2, 2] } }, 'constant_columns').status).toBe('FAIL');
  });
});

describe('duplicates, rows and columns', () => {
  it('counts duplicated rows and scales the reference count to the current size', () => {
    const reference = { a: [1, 1, 2, 3, 4, 5, 6, 7, 8, 9], b: ['x', 'x', 'y', 'y', 'y', 'y', 'y', 'y', 'y', 'y'] }; // 1 duplicate
    const current = { a: [...reference.a, ...reference.a], b: [...reference.b, ...reference.b] }; // 11 duplicates in 20 rows
    const result = find({ reference, current }, 'duplicated_rows');
    expect(result.parameters.value).toBe(11);
    expect(result.parameters.condition).toEqual({ lte: { kind: 'approx', value: 2, relative: 0.1, absolute: 1e-12 } });
    expect(result.status).toBe('FAIL');
    expect(find({ reference, current: reference }, 'duplicated_rows').status).toBe('SUCCESS');
  });
  it('treats NaN as equal to NaN, and 1, "1" and "" / null as different', () => {
    const report = runQualityChecks({ current: { a: [Number.NaN, Number.NaN, 1, '1', '', null] } });
    expect(report.summary.current.duplicatedRows).toBe(1);
  });
  it('counts duplicated columns', () => {
    const current = { a: [1, 2, 3], b: [1, 2, 3], c: [1, 2, '3'] };
    const result = find({ current }, 'duplicated_columns');
    expect(result.parameters.value).toBe(1);
    expect(result.status).toBe('FAIL');
    expect(find({ reference: current, current }, 'duplicated_columns').status).toBe('SUCCESS');
  });
  it('expects rows within 10% of the reference, and more than 30 without one', () => {
    const reference = { a: range(100) };
    const ok = find({ reference, current: { a: range(110) } }, 'row_count');
    expect(ok.status).toBe('SUCCESS');
    expect(ok.description).toBe('The number of rows is 110. The test threshold is eq=100 ± 10 (derived from reference: 100 ± 10%).');
    expect(find({ reference, current: { a: range(111) } }, 'row_count').status).toBe('FAIL');
    expect(find({ reference, current: { a: range(89) } }, 'row_count').status).toBe('FAIL');
    expect(find({ current: { a: range(31) } }, 'row_count').parameters.condition).toEqual({ gt: 30 });
    expect(find({ current: { a: range(30) } }, 'row_count').status).toBe('FAIL');
  });
  it('expects the reference number of columns and its schema', () => {
    const reference = { a: [1, 2], b: ['x', 'y'] };
    expect(find({ reference, current: reference }, 'column_count').status).toBe('SUCCESS');
    expect(find({ reference, current: reference }, 'reference_schema').status).toBe('SUCCESS');
    const current = { a: ['1', '2'], c: [true, false] };
    expect(find({ reference, current: { ...current, b: ['x', 'y'] } }, 'column_count').status).toBe('FAIL');
    const schema = find({ reference, current }, 'reference_schema');
    expect(schema.status).toBe('FAIL');
    expect(schema.parameters.value).toBe(3);
    expect(schema.description).toBe(
      "The number of schema differences from the reference is 3. Missing columns: 'b'. Extra columns: 'c'. " +
        "Changed types: 'a' (number in reference, string in current). The test threshold is eq=0 (the schema of the reference).",
    );
    expect(find({ current }, 'reference_schema').status).toBe('SKIPPED');
  });
  it('gives ERROR for per-column checks of a column missing from current', () => {
    const report = runQualityChecks({ reference: { a: [1, 2], b: [3, 4] }, current: { a: [1, 2] } });
    const errors = report.tests.filter((t) => t.column === 'b');
    expect(errors.length).toBe(9);
    expect(errors.every((t) => t.status === 'ERROR' && t.description === "Column 'b' is missing from the current dataset.")).toBe(true);
  });
});

describe('numerical statistics', () => {
  const reference = { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }; // mean 5.5, std 3.0276503540974917, 10 unique
  it('derives mean = reference mean ± 10%', () => {
    const ok = find({ reference, current: { x: range(10, (i) => i + 1.5) } }, 'mean', 'x'); // mean 6
    expect(ok.status).toBe('SUCCESS');
    expect(ok.description).toBe("The mean value of column 'x' is 6. The test threshold is eq=5.5 ± 0.55 (derived from reference: 5.5 ± 10%).");
    expect(find({ reference, current: { x: range(10, (i) => i + 2) } }, 'mean', 'x').status).toBe('FAIL'); // 6.5
  });
  it('derives the open interval mean ± 2 std', () => {
    const std = 3.0276503540974917;
    const result = find({ reference, current: { x: range(10, (i) => i + 8) } }, 'mean_in_sigmas', 'x'); // 12.5
    expect(result.parameters.condition).toEqual({ gt: 5.5 - 2 * std, lt: 5.5 + 2 * std });
    expect(result.status).toBe('FAIL');
    expect(result.description).toBe(
      "The mean value of column 'x' is 12.5. The test threshold is gt=-0.555 and lt=11.6 (derived from reference: mean 5.5 ± 2 std of 3.03).",
    );
    expect(find({ reference, current: { x: range(10, (i) => i + 5) } }, 'mean_in_sigmas', 'x').status).toBe('SUCCESS');
    expect(find({ reference, current: { x: range(10, (i) => i + 8) }, nSigmas: 3 }, 'mean_in_sigmas', 'x').status).toBe('SUCCESS');
  });
  it('derives std = reference std ± 10% (ddof = 1)', () => {
    const result = find({ reference, current: reference }, 'std', 'x');
    expect(result.status).toBe('SUCCESS');
    expect(result.parameters.value).toBeCloseTo(3.0276503540974917, 14);
    expect(find({ reference, current: { x: range(10, (i) => 2 * i) } }, 'std', 'x').status).toBe('FAIL');
  });
  it('derives unique count = reference ± 10%, and > 1 without a reference', () => {
    expect(find({ reference, current: { x: range(11, (i) => i) } }, 'unique_count', 'x').status).toBe('SUCCESS');
    expect(find({ reference, current: { x: [1, 2, 3, 4, 5, 6, 7, 8, 8, 8] } }, 'unique_count', 'x').status).toBe('FAIL');
    expect(find({ current: reference }, 'unique_count', 'x').parameters.condition).toEqual({ gt: 1 });
  });
  it('skips numerical checks on a categorical column and without a reference or condition', () => {
    const cat = find({ reference: { c: ['a', 'b'] }, current: { c: ['a', 'b'] } }, 'mean', 'c');
    expect(cat.status).toBe('SKIPPED');
    expect(cat.description).toBe("Column 'c' is categorical; this check applies to numerical columns.");
    const none = find({ current: reference }, 'mean', 'x');
    expect(none.status).toBe('SKIPPED');
    expect(none.parameters.value).toBe(5.5);
    expect(none.description).toBe("The mean value of column 'x' is 5.5. There is no reference to derive a condition from and no condition was given.");
  });
  it('gives ERROR when the value cannot be computed', () => {
    const strings = find({ current: { x: ['a', 'b'] }, columnTypes: { x: 'numerical' }, checks: { mean: { condition: { gt: 0 } } } }, 'mean', 'x');
    expect(strings.status).toBe('ERROR');
    expect(strings.description).toBe("Column 'x' in current dataset should contain numerical values only.");
    const oneValue = find({ reference, current: { x: [1.5, null] }, columnTypes: { x: 'numerical' } }, 'std', 'x');
    expect(oneValue.status).toBe('ERROR');
    expect(find({ current: { x: [null, null] } }, 'almost_constant', 'x').status).toBe('ERROR');
  });
});

describe('caller conditions and settings', () => {
  it('uses a caller condition over the derived one, per column over all columns', () => {
    const input: QualityInput = {
      current: { a: [1.5, null], b: [1.5, null] },
      checks: { missing_share: { condition: { lte: 0.5 } } },
      columnChecks: { b: { missing_share: { condition: { lt: 0.5 } } } },
    };
    const a = find(input, 'missing_share', 'a');
    expect(a.status).toBe('SUCCESS');
    expect(a.description).toContain('The test threshold is lte=0.5 (set by the caller).');
    expect(find(input, 'missing_share', 'b').status).toBe('FAIL');
  });
  it('leaves out disabled checks', () => {
    const report = runQualityChecks({ current: { a: [1, 2] }, checks: { mean: { enabled: false }, signature: { enabled: false } } });
    expect(report.tests.some((t) => t.check === 'mean' || t.check === 'signature')).toBe(false);
  });
  it('summarizes both datasets', () => {
    const report = runQualityChecks({ reference: { p: ['a', 'b', 'a'], n: [1.5, 2.5, 3.5] }, current: { p: ['a', 'c', null], n: [1.5, 4.5, null] } });
    expect(report.summary.current.columns).toEqual([
      { column: 'p', type: 'categorical', rowCount: 3, missingCount: 1, missingShare: 1 / 3, uniqueCount: 2, mostCommonValue: 'a', mostCommonShare: 1 / 3, newCategories: ['c'] },
      { column: 'n', type: 'numerical', rowCount: 3, missingCount: 1, missingShare: 1 / 3, uniqueCount: 2, mostCommonValue: 1.5, mostCommonShare: 1 / 3, min: 1.5, max: 4.5, mean: 3, std: Math.sqrt(4.5) },
    ]);
    expect(report.summary.reference?.columns[0].mostCommonValue).toBe('a');
    expect(report.summary.current).toMatchObject({ rowCount: 3, columnCount: 2, missingCount: 2, missingShare: 2 / 6, duplicatedRows: 0 });
  });
});
