import type { DriftValue } from '../drift/index.js';
import type { InferenceWindowPage, InferenceWindowQuery, LabeledInferenceRecord } from '../../serving/index.js';

export type ReadWindow = (query: InferenceWindowQuery) => Promise<InferenceWindowPage>;

export interface WindowColumns {
  columns: Record<string, DriftValue[]>;
  rows: number;
}

const PAGE = 1000;

/** What a window reads of each logged request: its inputs (data drift), outputs (prediction drift) or labels (target drift). */
export type WindowPart = 'inputs' | 'outputs' | 'labels';

/**
 * A logged request's columns for `part`. Labels are the column `label`: a request of n rows takes
 * an array of n labels, a one-row request a single value; a request without a label (or with one
 * of another shape) adds none, so its rows count as missing and the tests leave them out.
 */
export function recordColumns(record: LabeledInferenceRecord, part: WindowPart): Record<string, unknown[]> {
  if (part !== 'labels') return record[part];
  if (!('label' in record)) return {};
  const { label } = record;
  const values = Array.isArray(label) ? (label.length === record.rows ? label : undefined) : record.rows === 1 ? [label] : undefined;
  return values ? { label: values } : {};
}

/**
 * A deployment's logged traffic in `[from, to)` as columns (each logged record holds one or more
 * rows). A column a record lacks is filled with nulls for its rows, so every column keeps the same
 * length; nested values (a row of a multi-dimensional tensor) are not columns and are skipped.
 * Refuses windows beyond `maxRows` rather than reading without bound.
 */
export async function readWindowColumns(read: ReadWindow, window: { deployment: string; from: number; to: number; part: WindowPart }, maxRows: number): Promise<WindowColumns> {
  const columns: Record<string, DriftValue[]> = {};
  let rows = 0;
  let after: InferenceWindowPage['next'];
  do {
    const page = await read({ deployment: window.deployment, from: window.from, to: window.to, limit: PAGE, ...(after ? { after } : {}) });
    for (const record of page.records) {
      for (const [name, values] of Object.entries(recordColumns(record, window.part))) {
        if (values.length !== record.rows || values.some((v) => v !== null && typeof v === 'object')) continue;
        const column = (columns[name] ??= new Array<DriftValue>(rows).fill(null));
        column.push(...(values as DriftValue[]));
      }
      rows += record.rows;
      for (const column of Object.values(columns)) while (column.length < rows) column.push(null);
      if (rows > maxRows) {
        throw new WindowTooLarge(`the window of deployment '${window.deployment}' holds more than ${maxRows} logged rows; narrow from/to`);
      }
    }
    after = page.next;
  } while (after);
  return { columns, rows };
}

export class WindowTooLarge extends Error {
  override readonly name = 'WindowTooLarge';
}
