/** The current dataset against a model's MLflow column signature. */
import { describe, expect, it } from 'vitest';
import { QualityError, runQualityChecks, type QualityInput, type QualityTestResult } from './index.js';

function signatureResult(input: QualityInput): QualityTestResult {
  return runQualityChecks(input).tests.find((t) => t.check === 'signature') as QualityTestResult;
}

describe('model signature', () => {
  it('succeeds when columns and types match (missing cells are not type errors)', () => {
    const result = signatureResult({
      current: { amount: [1.5, null], n: [1, 2], ok: [true, false], name: ['a', ''], at: ['2024-01-02T03:04:05Z', '2024-02-01'] },
      signature: [
        { name: 'amount', type: 'double' },
        { name: 'n', type: 'long' },
        { name: 'ok', type: 'boolean' },
        { name: 'name', type: 'string' },
        { name: 'at', type: 'datetime' },
        { name: 'optional', type: 'float', required: false },
      ],
    });
    expect(result.status).toBe('SUCCESS');
    expect(result.description).toBe(
      'The number of mismatches with the model signature is 0. The test threshold is eq=0 (the model signature).',
    );
  });
  it('lists missing required columns, extra columns and wrong types in the sentence', () => {
    const result = signatureResult({
      current: { amount: [1.5, 'abc', 'x'], n: [1, 2.5, 3], i: [1, 2 ** 31, 3], at: ['soon', '2024-01-01', null], extra: [1, 2, 3] },
      signature: [
        { name: 'amount', type: 'double' },
        { name: 'n', type: 'long' },
        { name: 'i', type: 'integer' },
        { name: 'at', type: 'datetime' },
        { name: 'label', type: 'string' },
        { name: 'opt', type: 'boolean', required: false },
      ],
    });
    expect(result.status).toBe('FAIL');
    expect(result.parameters.value).toBe(6);
    expect(result.description).toBe(
      "The number of mismatches with the model signature is 6. Missing required columns: 'label'. Extra columns: 'extra'. " +
        "Wrong types: 'amount' (double) has 2 values that are not numbers, e.g. 'abc'; " +
        "'n' (long) has 1 values that are not integers, e.g. 2.5; " +
        "'i' (integer) has 1 values that are not 32-bit integers, e.g. 2147483648; " +
        "'at' (datetime) has 1 values that are not dates, e.g. 'soon'. The test threshold is eq=0 (the model signature).",
    );
  });
  it('is skipped without a signature and refuses a bad one', () => {
    expect(signatureResult({ current: { a: [1] } }).status).toBe('SKIPPED');
    expect(() => runQualityChecks({ current: { a: [1] }, signature: [{ name: 'a', type: 'int' as 'long' }] })).toThrow(
      new QualityError("Signature column 'a' has an unknown type 'int'."),
    );
    expect(() =>
      runQualityChecks({ current: { a: [1] }, signature: [{ name: 'a', type: 'long' }, { name: 'a', type: 'double' }] }),
    ).toThrow("Signature column 'a' is declared twice.");
  });
});
