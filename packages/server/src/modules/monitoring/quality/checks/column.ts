/**
 * Per-column checks over every column of either dataset. A column the reference has and current
 * lacks cannot be checked (ERROR); one only current has is checked against the reference-free
 * defaults. Numbers follow Evidently's data_quality_tests.py and data_integrity_tests.py.
 */
import { approx, formatCategory, formatNumber } from '../condition.js';
import { columnSummary, type CheckContext } from '../context.js';
import { errorResult, fromReference, judge, skippedResult, WITHOUT_REFERENCE, type CheckTarget } from '../outcome.js';
import { numbersOf } from '../summary.js';
import type { PreparedColumn } from '../table.js';
import type { Category, CheckId, ColumnSummary, QualityTestResult } from '../types.js';

const RELATIVE = 0.1;
const LISTED = 10;

interface ColumnView {
  readonly context: CheckContext;
  readonly column: string;
  readonly current: ColumnSummary;
  readonly reference?: ColumnSummary;
  readonly currentColumn: PreparedColumn;
  readonly referenceColumn?: PreparedColumn;
}

type ColumnCheck = (view: ColumnView, target: CheckTarget) => QualityTestResult;

function listed(values: readonly Category[]): string {
  const shown = values.slice(0, LISTED).map(formatCategory).join(', ');
  return values.length > LISTED ? `${shown} and ${values.length - LISTED} more` : shown;
}

const missingShare: ColumnCheck = (view, target) => {
  const { current, reference } = view;
  const sentence =
    `The share of missing values in column '${view.column}' is ${formatNumber(current.missingShare)} ` +
    `(${current.missingCount} of ${current.rowCount}).`;
  const fallback = reference
    ? { condition: { lte: approx(reference.missingShare, RELATIVE) }, origin: fromReference(reference.missingShare, RELATIVE) }
    : { condition: { eq: 0 }, origin: WITHOUT_REFERENCE };
  return judge(target, view.context.settings(target.check, view.column), current.missingShare, sentence, fallback);
};

const newCategoriesCheck: ColumnCheck = (view, target) => {
  if (view.current.type !== 'categorical') {
    return skippedResult(target, `Column '${view.column}' is numerical; new categories apply to categorical columns.`);
  }
  const found = view.current.newCategories;
  if (found === undefined) return skippedResult(target, `Column '${view.column}' has no reference to compare categories with.`);
  const sentence =
    found.length === 0
      ? `Column '${view.column}' has no new categories.`
      : `Column '${view.column}' has ${found.length} new categories: ${listed(found)}.`;
  return judge(target, view.context.settings(target.check, view.column), found.length, sentence, {
    condition: { eq: 0 },
    origin: 'every category of current was seen in reference',
  });
};

/** Share of current values outside the reference range (numerical) or set (categorical). */
const outOfRange: ColumnCheck = (view, target) => {
  const { referenceColumn, currentColumn, column } = view;
  if (!referenceColumn) return skippedResult(target, `Column '${column}' has no reference to take a range from.`);
  if (currentColumn.present.length === 0) return errorResult(target, `Column '${column}' has no values in the current dataset.`);
  let outside: number;
  let what: string;
  if (view.current.type === 'numerical') {
    const { min, max } = view.reference ?? {};
    const values = numbersOf(currentColumn);
    if (min === undefined || max === undefined || values === undefined) {
      return errorResult(target, `Column '${column}' should contain numerical values on both sides to compare ranges.`);
    }
    outside = values.filter((v) => v < min || v > max).length;
    what = `out of the reference range [${formatNumber(min)}, ${formatNumber(max)}]`;
  } else {
    const known = new Set(referenceColumn.present);
    outside = currentColumn.present.filter((v) => !known.has(v)).length;
    what = 'not in the reference values';
  }
  const share = outside / currentColumn.present.length;
  const sentence = `The share of values ${what} in column '${column}' is ${formatNumber(share)} (${outside} of ${currentColumn.present.length}).`;
  return judge(target, view.context.settings(target.check, column), share, sentence, {
    condition: { eq: approx(0) },
    origin: 'no value outside the reference',
  });
};

const constant: ColumnCheck = (view, target) => {
  const { current } = view;
  const sentence = `Column '${view.column}' has ${current.uniqueCount} distinct values in ${current.rowCount} rows.`;
  return judge(target, view.context.settings(target.check, view.column), current.uniqueCount, sentence, {
    condition: { gt: 1 },
    origin: 'a column needs more than one distinct value',
  });
};

const almostConstant: ColumnCheck = (view, target) => {
  const { current, context } = view;
  if (current.mostCommonValue === null) return errorResult(target, `Column '${view.column}' has no values in the current dataset.`);
  const sentence =
    `The most common value in column '${view.column}' is ${formatCategory(current.mostCommonValue)}. ` +
    `Its share is ${formatNumber(current.mostCommonShare)}.`;
  return judge(target, context.settings(target.check, view.column), current.mostCommonShare, sentence, {
    condition: { lt: context.almostConstantShare },
    origin: 'almost constant at this share',
  });
};

/** Shared preamble of the numerical statistics: type, then a value on the current side. */
function numericValue(view: ColumnView, target: CheckTarget, pick: (s: ColumnSummary) => number | undefined): number | QualityTestResult {
  if (view.current.type !== 'numerical') {
    return skippedResult(target, `Column '${view.column}' is categorical; this check applies to numerical columns.`);
  }
  if (numbersOf(view.currentColumn) === undefined) {
    return errorResult(target, `Column '${view.column}' in current dataset should contain numerical values only.`);
  }
  const value = pick(view.current);
  return value ?? errorResult(target, `Column '${view.column}' has too few values in the current dataset to compute this.`);
}

const meanCheck: ColumnCheck = (view, target) => {
  const value = numericValue(view, target, (s) => s.mean);
  if (typeof value !== 'number') return value;
  const sentence = `The mean value of column '${view.column}' is ${formatNumber(value)}.`;
  const reference = view.reference?.mean;
  const fallback =
    reference === undefined ? undefined : { condition: { eq: approx(reference, RELATIVE) }, origin: fromReference(reference, RELATIVE) };
  return judge(target, view.context.settings(target.check, view.column), value, sentence, fallback);
};

/** Evidently's TestMeanInNSigmas: the open interval reference mean +- n reference std. */
const meanInSigmas: ColumnCheck = (view, target) => {
  const value = numericValue(view, target, (s) => s.mean);
  if (typeof value !== 'number') return value;
  const sentence = `The mean value of column '${view.column}' is ${formatNumber(value)}.`;
  const settings = view.context.settings(target.check, view.column);
  const reference = view.reference;
  if (settings.condition === undefined && reference !== undefined && reference.std === undefined) {
    return errorResult(target, `Column '${view.column}' needs at least two reference values for a standard deviation.`);
  }
  const n = view.context.nSigmas;
  const fallback =
    reference?.mean === undefined || reference.std === undefined
      ? undefined
      : {
          condition: { gt: reference.mean - n * reference.std, lt: reference.mean + n * reference.std },
          origin: `derived from reference: mean ${formatNumber(reference.mean)} ± ${n} std of ${formatNumber(reference.std)}`,
        };
  return judge(target, settings, value, sentence, fallback);
};

const stdCheck: ColumnCheck = (view, target) => {
  const value = numericValue(view, target, (s) => s.std);
  if (typeof value !== 'number') return value;
  const sentence = `The standard deviation of column '${view.column}' is ${formatNumber(value)}.`;
  const reference = view.reference?.std;
  const fallback =
    reference === undefined ? undefined : { condition: { eq: approx(reference, RELATIVE) }, origin: fromReference(reference, RELATIVE) };
  return judge(target, view.context.settings(target.check, view.column), value, sentence, fallback);
};

const uniqueCount: ColumnCheck = (view, target) => {
  const value = numericValue(view, target, (s) => s.uniqueCount);
  if (typeof value !== 'number') return value;
  const sentence = `The number of unique values in column '${view.column}' is ${value}.`;
  const reference = view.reference?.uniqueCount;
  const fallback =
    reference === undefined
      ? { condition: { gt: 1 }, origin: WITHOUT_REFERENCE }
      : { condition: { eq: approx(reference, RELATIVE) }, origin: fromReference(reference, RELATIVE) };
  return judge(target, view.context.settings(target.check, view.column), value, sentence, fallback);
};

const COLUMN_CHECKS: readonly [CheckId, string, ColumnCheck][] = [
  ['missing_share', 'Share of Missing Values', missingShare],
  ['new_categories', 'Number of New Categories', newCategoriesCheck],
  ['out_of_range', 'Share of Out-of-Range Values', outOfRange],
  ['constant', 'Constant Column', constant],
  ['almost_constant', 'Share of the Most Common Value', almostConstant],
  ['mean', 'Mean Value', meanCheck],
  ['mean_in_sigmas', 'Mean Value Stability', meanInSigmas],
  ['std', 'Standard Deviation', stdCheck],
  ['unique_count', 'Number of Unique Values', uniqueCount],
];

/** Reference columns first, in their order, then the columns only current has. */
function columnNames(context: CheckContext): string[] {
  const names = [...(context.reference?.names ?? [])];
  for (const name of context.current.names) if (!context.reference?.columns.has(name)) names.push(name);
  return names;
}

export function columnChecks(context: CheckContext): QualityTestResult[] {
  const results: QualityTestResult[] = [];
  for (const column of columnNames(context)) {
    const currentColumn = context.current.columns.get(column);
    const current = columnSummary(context.currentSummary, column);
    for (const [check, name, run] of COLUMN_CHECKS) {
      if (!context.settings(check, column).enabled) continue;
      const target = { check, name, column };
      if (!currentColumn || !current) {
        results.push(errorResult(target, `Column '${column}' is missing from the current dataset.`));
        continue;
      }
      const view: ColumnView = {
        context,
        column,
        current,
        reference: columnSummary(context.referenceSummary, column),
        currentColumn,
        referenceColumn: context.reference?.columns.get(column),
      };
      results.push(run(view, target));
    }
  }
  return results;
}
