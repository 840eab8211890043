/**
 * Conditions as Evidently's TestValueCondition and ApproxValue evaluate them, and their wording.
 *
 * An approx threshold widens the inclusive operators and narrows the strict ones: `lte=approx(x)`
 * holds up to x + tolerance, `lt=approx(x)` only below x - tolerance (Python falls back to the
 * reflected ApproxValue comparisons, which is where Evidently puts the tolerance).
 */
import { QualityError } from './errors.js';
import type { Approx, Category, Condition, Threshold } from './types.js';

const DEFAULT_RELATIVE = 1e-6;
const DEFAULT_ABSOLUTE = 1e-12;

export function approx(value: number, relative?: number, absolute?: number): Approx {
  if (!Number.isFinite(value)) throw new QualityError(`approx needs a finite value, got ${value}.`);
  if (relative !== undefined && !(relative > 0)) {
    throw new QualityError('Relative value for approx should be greater than 0');
  }
  if (absolute !== undefined && !(absolute >= 0)) throw new QualityError('Absolute value for approx should not be negative');
  return { kind: 'approx', value, relative: relative ?? DEFAULT_RELATIVE, absolute: absolute ?? DEFAULT_ABSOLUTE };
}

export function tolerance(threshold: Approx): number {
  return Math.max(Math.abs(threshold.value) * threshold.relative, threshold.absolute);
}

function bounds(threshold: Threshold): { centre: number; slack: number } {
  return typeof threshold === 'number' ? { centre: threshold, slack: 0 } : { centre: threshold.value, slack: tolerance(threshold) };
}

function equals(value: number, threshold: Threshold): boolean {
  const { centre, slack } = bounds(threshold);
  return Math.abs(value - centre) <= slack;
}

const COMPARE: Readonly<Record<'gt' | 'gte' | 'lt' | 'lte', (value: number, centre: number, slack: number) => boolean>> = {
  gt: (v, c, s) => v > c + s,
  gte: (v, c, s) => v >= c - s,
  lt: (v, c, s) => v < c - s,
  lte: (v, c, s) => v <= c + s,
};

export function hasCondition(condition: Condition): boolean {
  return OPERATORS.some((op) => condition[op] !== undefined);
}

/** True when every operator of the condition holds for value (NaN satisfies none but not_eq/not_in). */
export function conditionHolds(value: number, condition: Condition): boolean {
  const checks: boolean[] = [];
  if (condition.eq !== undefined) checks.push(equals(value, condition.eq));
  if (condition.not_eq !== undefined) checks.push(!equals(value, condition.not_eq));
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const threshold = condition[op];
    if (threshold === undefined) continue;
    const { centre, slack } = bounds(threshold);
    checks.push(COMPARE[op](value, centre, slack));
  }
  if (condition.is_in !== undefined) checks.push(condition.is_in.includes(value));
  if (condition.not_in !== undefined) checks.push(!condition.not_in.includes(value));
  return checks.every(Boolean);
}

/** Refuses a condition with no operator or with thresholds that are not numbers. */
export function validateCondition(where: string, condition: Condition): void {
  if (!hasCondition(condition)) throw new QualityError(`The condition of ${where} has no operator.`);
  for (const op of ['eq', 'not_eq', 'gt', 'gte', 'lt', 'lte'] as const) {
    const threshold = condition[op];
    if (threshold === undefined) continue;
    const centre = typeof threshold === 'number' ? threshold : threshold.value;
    if (!Number.isFinite(centre)) throw new QualityError(`The condition ${op} of ${where} must be a finite number.`);
  }
}

/**
 * Python's format(x, '.3g'), the way Evidently prints values and thresholds; whole numbers print
 * whole (a row count of 1000 reads "1000", not "1e+03").
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const [mantissa, exponentText] = value.toExponential(2).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 3) {
    const digits = mantissa.replace(/\.?0+$/, '');
    return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return value.toFixed(Math.max(0, 2 - exponent)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function formatThreshold(threshold: Threshold): string {
  if (typeof threshold === 'number') return formatNumber(threshold);
  return `${formatNumber(threshold.value)} ± ${formatNumber(tolerance(threshold))}`;
}

export function formatCategory(value: Category): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'number' ? formatNumber(value) : String(value);
}

const OPERATORS = ['eq', 'gt', 'gte', 'lt', 'lte', 'not_eq', 'is_in', 'not_in'] as const;

/** Evidently's str(TestValueCondition): "op=value" joined by " and ". */
export function formatCondition(condition: Condition): string {
  const parts: string[] = [];
  for (const op of OPERATORS) {
    if (op === 'is_in' || op === 'not_in') {
      const list = condition[op];
      if (list !== undefined) parts.push(`${op}=[${list.map(formatCategory).join(', ')}]`);
      continue;
    }
    const threshold = condition[op];
    if (threshold !== undefined) parts.push(`${op}=${formatThreshold(threshold)}`);
  }
  return parts.join(' and ');
}
