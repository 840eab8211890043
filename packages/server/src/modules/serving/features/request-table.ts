import { halfBitsToNumber, type Tensor } from '../protocol/datatypes.js';
import type { ColumnsPayload, ScoringPayload } from '../protocol/scoring/scoring-payload.js';

/**
 * The rows of a request that features can be fetched for: a table, one cell per row in every
 * column. Anything else (an unnamed list, nested tensors, an image) is undefined: such a request
 * is served as sent, so it must carry the model's full inputs.
 */
export function tableOfPayload(payload: ScoringPayload): ColumnsPayload | undefined {
  switch (payload.kind) {
    case 'columns':
      return payload;
    case 'tensor':
      return undefined;
    case 'named-tensors': {
      // `inputs` / `instances` as a dict of flat, equally long lists is a table by columns.
      const columns = new Map<string, readonly unknown[]>();
      let rows: number | undefined;
      for (const [name, value] of payload.tensors) {
        if (!Array.isArray(value) || value.some((cell) => Array.isArray(cell))) return undefined;
        if (rows !== undefined && value.length !== rows) return undefined;
        rows = value.length;
        columns.set(name, value);
      }
      return rows === undefined ? undefined : { kind: 'columns', columns, rowCount: rows, textCells: false };
    }
  }
}

/** OIP inputs that are all columns (shape [rows] or [rows, 1], the same rows) as a table. */
export function tableOfTensors(tensors: readonly Tensor[]): ColumnsPayload | undefined {
  const rows = tensors[0]?.shape[0];
  if (rows === undefined) return undefined;
  const isColumn = (t: Tensor) => t.shape[0] === rows && (t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1));
  if (!tensors.every(isColumn)) return undefined;
  const columns = new Map<string, readonly unknown[]>(tensors.map((t) => [t.name, cellsOf(t)]));
  return { kind: 'columns', columns, rowCount: rows, textCells: false };
}

function cellsOf(t: Tensor): unknown[] {
  if (t.datatype === 'FP16') return Array.from(t.data, halfBitsToNumber);
  // INT64 cells stay bigints, so a model input fed from them keeps every digit.
  return Array.from(t.data as ArrayLike<unknown>);
}
