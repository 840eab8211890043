import type { DriftColumn, DriftValue } from '../drift/index.js';

/** JSON has no NaN or Infinity: the inference log and API clients spell them as strings. */
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/**
 * A column as the statistics read it: "NaN", "Infinity" and "-Infinity" become those numbers in a
 * column that holds numbers (the tests then drop them, as Evidently drops NaN and ±inf); in a column
 * of strings they stay categories.
 */
export function normalizeColumn(values: readonly DriftValue[]): DriftColumn {
  if (!values.some((v) => typeof v === 'number')) return values;
  return values.map((v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v]! : v));
}
