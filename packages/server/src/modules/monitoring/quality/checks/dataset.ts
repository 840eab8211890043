/**
 * Dataset-wide counts, with Evidently's reference-derived defaults (data_integrity_tests.py):
 * rows within 10% of the reference, the same number of columns, no more missing cells, duplicated
 * columns or constant columns than the reference had, duplicated rows scaled to the current size.
 */
import { approx, formatNumber } from '../condition.js';
import type { CheckContext } from '../context.js';
import { fromReference, judge, WITHOUT_REFERENCE, type DefaultCondition } from '../outcome.js';
import type { CheckId, DatasetSummary, QualityTestResult } from '../types.js';

interface DatasetCheck {
  readonly check: CheckId;
  readonly name: string;
  readonly value: (summary: DatasetSummary) => number;
  readonly sentence: (value: number, summary: DatasetSummary) => string;
  readonly withReference: (reference: DatasetSummary, current: DatasetSummary) => DefaultCondition;
  readonly withoutReference: DefaultCondition;
}

const RELATIVE = 0.1;

const DATASET_CHECKS: readonly DatasetCheck[] = [
  {
    check: 'row_count',
    name: 'Number of Rows',
    value: (s) => s.rowCount,
    sentence: (v) => `The number of rows is ${v}.`,
    withReference: (r) => ({ condition: { eq: approx(r.rowCount, RELATIVE) }, origin: fromReference(r.rowCount, RELATIVE) }),
    // Evidently's: fewer than 31 rows is too small a sample to monitor.
    withoutReference: { condition: { gt: 30 }, origin: WITHOUT_REFERENCE },
  },
  {
    check: 'column_count',
    name: 'Number of Columns',
    value: (s) => s.columnCount,
    sentence: (v) => `The number of columns is ${v}.`,
    withReference: (r) => ({ condition: { eq: r.columnCount }, origin: fromReference(r.columnCount) }),
    withoutReference: { condition: { gt: 0 }, origin: WITHOUT_REFERENCE },
  },
  {
    check: 'dataset_missing_share',
    name: 'Share of Missing Values',
    value: (s) => s.missingShare,
    sentence: (v, s) => `The share of missing values in the dataset is ${formatNumber(v)} (${s.missingCount} of ${s.rowCount * s.columnCount} cells).`,
    withReference: (r) => ({
      condition: { lte: approx(r.missingShare, RELATIVE) },
      origin: fromReference(r.missingShare, RELATIVE),
    }),
    withoutReference: { condition: { eq: 0 }, origin: WITHOUT_REFERENCE },
  },
  {
    check: 'duplicated_rows',
    name: 'Number of Duplicated Rows',
    value: (s) => s.duplicatedRows,
    sentence: (v) => `The number of duplicated rows is ${v}.`,
    // Evidently scales the reference count to the current size; it asks for eq, we for lte (README).
    withReference: (r, c) => {
      const scaled = (r.duplicatedRows * c.rowCount) / r.rowCount;
      return {
        condition: { lte: approx(scaled, RELATIVE) },
        origin: `derived from reference: ${r.duplicatedRows} of ${r.rowCount} rows scaled to ${c.rowCount} rows ± 10%`,
      };
    },
    withoutReference: { condition: { eq: 0 }, origin: WITHOUT_REFERENCE },
  },
  {
    check: 'duplicated_columns',
    name: 'Number of Duplicated Columns',
    value: (s) => s.duplicatedColumns,
    sentence: (v) => `The number of duplicated columns is ${v}.`,
    withReference: (r) => ({ condition: { lte: r.duplicatedColumns }, origin: fromReference(r.duplicatedColumns) }),
    withoutReference: { condition: { eq: 0 }, origin: WITHOUT_REFERENCE },
  },
  {
    check: 'constant_columns',
    name: 'Number of Constant Columns',
    value: (s) => s.constantColumns,
    sentence: (v) => `The number of constant columns is ${v}.`,
    withReference: (r) => ({ condition: { lte: r.constantColumns }, origin: fromReference(r.constantColumns) }),
    withoutReference: { condition: { eq: 0 }, origin: WITHOUT_REFERENCE },
  },
];

export function datasetChecks(context: CheckContext): QualityTestResult[] {
  const results: QualityTestResult[] = [];
  const current = context.currentSummary;
  for (const spec of DATASET_CHECKS) {
    const settings = context.settings(spec.check);
    if (!settings.enabled) continue;
    const value = spec.value(current);
    const fallback = context.referenceSummary ? spec.withReference(context.referenceSummary, current) : spec.withoutReference;
    results.push(judge({ check: spec.check, name: spec.name }, settings, value, spec.sentence(value, current), fallback));
  }
  return results;
}
