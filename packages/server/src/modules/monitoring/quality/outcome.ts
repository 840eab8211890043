/**
 * Turning a computed value into a test result: the caller's condition wins over the default one,
 * a missing condition skips the check, and a failing non-critical check only warns.
 */
import { conditionHolds, formatCondition, formatNumber } from './condition.js';
import type { CheckId, Condition, QualityTestResult } from './types.js';

export interface CheckSettings {
  readonly condition?: Condition;
  readonly critical: boolean;
  readonly enabled: boolean;
}

/** A default condition and the words that say where it came from. */
export interface DefaultCondition {
  readonly condition: Condition;
  readonly origin: string;
}

export interface CheckTarget {
  readonly check: CheckId;
  readonly name: string;
  readonly column?: string;
}

function base(target: CheckTarget): Pick<QualityTestResult, 'check' | 'name' | 'column'> {
  return { check: target.check, name: target.name, ...(target.column !== undefined ? { column: target.column } : {}) };
}

export function errorResult(target: CheckTarget, description: string): QualityTestResult {
  return { ...base(target), status: 'ERROR', description, parameters: { value: null, condition: null } };
}

export function skippedResult(target: CheckTarget, description: string, value: number | null = null): QualityTestResult {
  return { ...base(target), status: 'SKIPPED', description, parameters: { value, condition: null } };
}

/**
 * The result of a value against the caller's condition, else the default one. Without either the
 * check is SKIPPED: Evidently raises "Neither required test parameters nor reference data has been
 * provided" there, which would stop a whole monitoring run for one column.
 */
export function judge(
  target: CheckTarget,
  settings: CheckSettings,
  value: number,
  sentence: string,
  fallback: DefaultCondition | undefined,
): QualityTestResult {
  const condition = settings.condition ?? fallback?.condition;
  if (condition === undefined) {
    return skippedResult(target, `${sentence} There is no reference to derive a condition from and no condition was given.`, value);
  }
  const origin = settings.condition !== undefined ? 'set by the caller' : (fallback as DefaultCondition).origin;
  const status = conditionHolds(value, condition) ? 'SUCCESS' : settings.critical ? 'FAIL' : 'WARNING';
  return {
    ...base(target),
    status,
    description: `${sentence} The test threshold is ${formatCondition(condition)} (${origin}).`,
    parameters: { value, condition },
  };
}

/** "derived from reference: 0.01 ± 10%" */
export function fromReference(value: number, relative?: number): string {
  return `derived from reference: ${formatNumber(value)}${relative === undefined ? '' : ` ± ${relative * 100}%`}`;
}

export const WITHOUT_REFERENCE = 'default without a reference';
