/** Bad input gives a QualityError with a clear message; conditions and approx follow Evidently. */
import { describe, expect, it } from 'vitest';
import { conditionHolds, formatNumber } from './condition.js';
import { QualityError, approx, runQualityChecks, type Condition, type QualityColumns } from './index.js';

describe('bad input', () => {
  it('refuses columns of different lengths', () => {
    expect(() => runQualityChecks({ current: { a: [1, 2, 3], b: [1, 2] } })).toThrow(
      new QualityError("Columns of the current dataset have different lengths: 'a' has 3 values, 'b' has 2."),
    );
  });
  it('refuses empty datasets', () => {
    expect(() => runQualityChecks({ current: {} })).toThrow(new QualityError('The current dataset is empty: it has no columns.'));
    expect(() => runQualityChecks({ current: { a: [1] }, reference: { a: [] } })).toThrow(
      new QualityError('The reference dataset is empty: it has no rows.'),
    );
  });
  it('refuses cells and columns it cannot read', () => {
    expect(() => runQualityChecks({ current: { a: 'abc' } as unknown as QualityColumns })).toThrow(
      "Column 'a' in current dataset is not an array.",
    );
    expect(() => runQualityChecks({ current: { a: [{}] } as unknown as QualityColumns })).toThrow(
      "Column 'a' in current dataset has a cell that is not a number, string, boolean or null.",
    );
  });
  it('refuses unknown checks, empty conditions and bad options', () => {
    const current = { a: [1] };
    expect(() => runQualityChecks({ current, checks: { nope: {} } as never })).toThrow(/Unknown check 'nope' in checks/);
    expect(() => runQualityChecks({ current, columnChecks: { a: { mean: { condition: {} } } } })).toThrow(
      "The condition of check 'mean' in column 'a' has no operator.",
    );
    expect(() => runQualityChecks({ current, almostConstantShare: 1.5 })).toThrow(QualityError);
    expect(() => runQualityChecks({ current, nSigmas: 0 })).toThrow(QualityError);
    expect(() => runQualityChecks({ current, missingValues: [true as unknown as string] })).toThrow(QualityError);
    expect(() => approx(1, 0)).toThrow('Relative value for approx should be greater than 0');
  });
});

describe('conditions', () => {
  const tol = approx(10, 0.1); // 10 ± 1
  it.each<[Condition, number, boolean]>([
    [{ eq: tol }, 11, true],
    [{ eq: tol }, 11.01, false],
    [{ not_eq: tol }, 11.01, true],
    [{ lte: tol }, 11, true], // inclusive operators widen by the tolerance
    [{ gte: tol }, 9, true],
    [{ lt: tol }, 9, false], // strict operators narrow by it
    [{ lt: tol }, 8.99, true],
    [{ gt: tol }, 11, false],
    [{ gt: 1, lt: 3 }, 2, true],
    [{ gt: 1, lt: 3 }, 3, false],
    [{ is_in: [1, 2] }, 2, true],
    [{ not_in: [1, 2] }, 2, false],
  ])('%j on %d is %s', (condition, value, holds) => {
    expect(conditionHolds(value, condition)).toBe(holds);
  });
  it('approx uses Evidently defaults (relative 1e-6, absolute 1e-12) and the larger tolerance', () => {
    expect(approx(0)).toEqual({ kind: 'approx', value: 0, relative: 1e-6, absolute: 1e-12 });
    expect(conditionHolds(0.5, { eq: approx(0, 0.1, 0.5) })).toBe(true);
  });
  it('formats numbers like Python .3g', () => {
    expect([0.011, 0.0011, 0.12345, 1.1e-5, 12345.6, 9.996, 100, -0.555].map(formatNumber)).toEqual([
      '0.011', '0.0011', '0.123', '1.1e-05', '1.23e+04', '10', '100', '-0.555',
    ]);
  });
});
