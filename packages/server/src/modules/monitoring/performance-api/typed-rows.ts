/**
 * Logged rows as the metrics read them: classes (numbers or strings, booleans read as 1 and 0) or
 * finite numbers, scores as finite numbers. Every refusal names the request and the row, so a
 * caller can find the prediction or label that does not fit.
 */
import { PerformanceError, type Label } from '../performance/index.js';
import type { LabelledRow } from '../sources/labelled-window.js';

export interface TypedRow<T extends Label> {
  readonly requestId: string;
  readonly at: number;
  readonly row: number;
  readonly prediction: T;
  readonly scores: readonly number[];
  /** The segment's value as logged (null when missing); undefined without segment_by. */
  readonly segment?: unknown;
  /** Undefined when the row has no label. */
  readonly label?: T;
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

const where = (r: LabelledRow): string => `request '${r.requestId}' row ${r.row}`;
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** A class as the library takes it, or undefined for a value that cannot be one. */
export function toClass(value: unknown): Label | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return value;
  return undefined;
}

function scoresOf(r: LabelledRow, scoreColumns: readonly string[], side: string): number[] {
  return r.scores.map((v, i) => {
    const x = typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new PerformanceError(`${side}: score '${scoreColumns[i]}' of ${where(r)} is ${shown(v)}: scores must be finite numbers`);
    }
    return x;
  });
}

/**
 * Classification rows. Predictions must all be numbers or all strings; labels (and `classes`)
 * must be of the predictions' kind, so `"1"` never silently differs from `1`.
 */
export function classificationRows(rows: readonly LabelledRow[], prediction: string, scoreColumns: readonly string[], side: string): { rows: TypedRow<Label>[]; kind?: 'number' | 'string' } {
  let kind: 'number' | 'string' | undefined;
  const out = rows.map((r): TypedRow<Label> => {
    const p = toClass(r.prediction);
    if (p === undefined || (kind === 'number' && typeof p === 'string' && NON_FINITE.has(p))) {
      throw new PerformanceError(`${side}: the prediction '${prediction}' of ${where(r)} is ${shown(r.prediction)}: class predictions must be finite numbers, strings or booleans`);
    }
    kind ??= typeof p === 'number' ? 'number' : 'string';
    if (typeof p !== kind) {
      throw new PerformanceError(`${side}: the predictions in '${prediction}' mix numbers and strings (${where(r)} is ${shown(r.prediction)})`);
    }
    let label: Label | undefined;
    if (r.labelled) {
      label = toClass(r.label);
      if (label === undefined || typeof label !== kind) {
        throw new PerformanceError(
          `${side}: ${where(r)} is labelled ${shown(r.label)} (${typeof r.label}) but the predictions in '${prediction}' are ${kind}s: post labels of the predictions' type`,
        );
      }
    }
    return {
      requestId: r.requestId,
      at: r.at,
      row: r.row,
      prediction: p,
      scores: scoresOf(r, scoreColumns, side),
      ...('segment' in r ? { segment: r.segment } : {}),
      ...(label !== undefined ? { label } : {}),
    };
  });
  return kind ? { rows: out, kind } : { rows: out };
}

/** Regression rows: predictions and labels are finite numbers. */
export function regressionRows(rows: readonly LabelledRow[], prediction: string, side: string): TypedRow<number>[] {
  return rows.map((r) => {
    if (typeof r.prediction !== 'number' || !Number.isFinite(r.prediction)) {
      throw new PerformanceError(`${side}: the prediction '${prediction}' of ${where(r)} is ${shown(r.prediction)}: regression predictions must be finite numbers`);
    }
    if (r.labelled && (typeof r.label !== 'number' || !Number.isFinite(r.label))) {
      throw new PerformanceError(`${side}: ${where(r)} is labelled ${shown(r.label)} (${typeof r.label}): regression labels must be finite numbers`);
    }
    return {
      requestId: r.requestId,
      at: r.at,
      row: r.row,
      prediction: r.prediction,
      scores: [],
      ...('segment' in r ? { segment: r.segment } : {}),
      ...(r.labelled ? { label: r.label as number } : {}),
    };
  });
}
