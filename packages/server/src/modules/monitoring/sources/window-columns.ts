import type { DriftValue } from '../drift/index.js';
import type { InferenceWindowPage, InferenceWindowQuery } from '../../serving/index.js';

export type ReadWindow = (query: InferenceWindowQuery) => Promise<InferenceWindowPage>;

export interface WindowColumns {
  columns: Record<string, DriftValue[]>;
  rows: number;
}

const PAGE = 1000;

/**
 * A deployment's logged traffic in `[from, to)` as columns (each logged record holds one or more
 * rows). A column a record lacks is filled with nulls for its rows, so every column keeps the same
 * length; nested values (a row of a multi-dimensional tensor) are not columns and are skipped.
 * Refuses windows beyond `maxRows` rather than reading without bound.
 */
export async function readWindowColumns(read: ReadWindow, window: { deployment: string; from: number; to: number; part: 'inputs' | 'outputs' }, maxRows: number): Promise<WindowColumns> {
  const columns: Record<string, DriftValue[]> = {};
  let rows = 0;
  let after: InferenceWindowPage['next'];
  do {
    const page = await read({ deployment: window.deployment, from: window.from, to: window.to, limit: PAGE, ...(after ? { after } : {}) });
    for (const record of page.records) {
      const part = record[window.part];
      for (const [name, values] of Object.entries(part)) {
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
