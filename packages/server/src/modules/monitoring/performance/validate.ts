/**
 * Input checks shared by every metric. They run before any arithmetic so that a NaN or a length
 * mismatch is reported with the argument's name instead of surfacing as a NaN metric.
 */
import { PerformanceError } from './errors.js';
import type { Label } from './types.js';

export function checkNonEmpty(name: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) throw new PerformanceError(`${name} is empty: at least one sample is needed`);
}

export function checkSameLength(nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new PerformanceError(`${nameA} and ${nameB} have different lengths (${a.length} and ${b.length})`);
  }
}

/** Every value a finite number (NaN and ±Infinity are refused, as scikit-learn's check_array does). */
export function checkFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PerformanceError(`${name}[${i}] is ${String(v)}: values must be finite numbers`);
    }
  }
}

export function checkProbabilities(name: string, values: ArrayLike<number>): void {
  checkFinite(name, values);
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] > 1) {
      throw new PerformanceError(`${name}[${i}] is ${values[i]}: probabilities must lie in [0, 1]`);
    }
  }
}

/** Labels are numbers (finite) or strings, never both in one call, so that sorting is well defined. */
export function checkLabels(name: string, values: readonly Label[]): void {
  let kind: 'number' | 'string' | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new PerformanceError(`${name}[${i}] is ${v}: labels must be finite numbers or strings`);
    } else if (typeof v !== 'string') {
      throw new PerformanceError(`${name}[${i}] is ${String(v)}: labels must be numbers or strings`);
    }
    const k = typeof v === 'number' ? 'number' : 'string';
    if (kind !== undefined && k !== kind) throw new PerformanceError(`${name} mixes numbers and strings`);
    kind = k;
  }
}

/** Two aligned label arrays: same length, non-empty, well-typed. */
export function checkLabelPair(yTrue: readonly Label[], yPred: readonly Label[]): void {
  checkSameLength('yTrue', yTrue, 'yPred', yPred);
  checkNonEmpty('yTrue', yTrue);
  checkLabels('yTrue', yTrue);
  checkLabels('yPred', yPred);
  if (typeof yTrue[0] !== typeof yPred[0]) throw new PerformanceError('yTrue and yPred mix numbers and strings');
}
