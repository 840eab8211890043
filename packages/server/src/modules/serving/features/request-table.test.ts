import { describe, expect, it } from 'vitest';
import { numberToHalfBits, type Tensor } from '../protocol/datatypes.js';
import type { ColumnsPayload } from '../protocol/scoring/scoring-payload.js';
import { tableOfPayload, tableOfTensors } from './request-table.js';

const columnsOf = (t: ColumnsPayload | undefined) => t && { columns: Object.fromEntries(t.columns), rowCount: t.rowCount };

describe('tableOfPayload', () => {
  it('takes a table as it is and a dict of flat, equally long lists as columns', () => {
    const table: ColumnsPayload = { kind: 'columns', columns: new Map([['card_id', ['17']]]), rowCount: 1, textCells: true };
    expect(tableOfPayload(table)).toBe(table);
    expect(columnsOf(tableOfPayload({ kind: 'named-tensors', tensors: new Map<string, unknown>([['card_id', [17, 18]], ['country', ['LK', 'US']]]) }))).toEqual({
      columns: { card_id: [17, 18], country: ['LK', 'US'] },
      rowCount: 2,
    });
  });

  it('leaves anything that is not a table to be served as sent', () => {
    expect(tableOfPayload({ kind: 'tensor', data: [[1, 2]] })).toBeUndefined();
    expect(tableOfPayload({ kind: 'named-tensors', tensors: new Map([['input', [[1, 2]]]]) })).toBeUndefined();
    expect(tableOfPayload({ kind: 'named-tensors', tensors: new Map([['a', [1]], ['b', [1, 2]]]) })).toBeUndefined();
    expect(tableOfPayload({ kind: 'named-tensors', tensors: new Map([['a', 1]]) })).toBeUndefined();
  });
});

describe('tableOfTensors', () => {
  it('reads [rows] and [rows, 1] tensors as columns, INT64 as bigints and FP16 as numbers', () => {
    const tensors: Tensor[] = [
      { name: 'card_id', datatype: 'INT64', shape: [2], data: new BigInt64Array([17n, 18n]) },
      { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['LK', 'US'] },
      { name: 'amount', datatype: 'FP16', shape: [2], data: new Uint16Array([numberToHalfBits(1.5), numberToHalfBits(2)]) },
    ];
    expect(columnsOf(tableOfTensors(tensors))).toEqual({ columns: { card_id: [17n, 18n], country: ['LK', 'US'], amount: [1.5, 2] }, rowCount: 2 });
  });

  it('leaves full tensors, mixed row counts and empty requests alone', () => {
    expect(tableOfTensors([{ name: 'input', datatype: 'FP32', shape: [1, 3], data: new Float32Array(3) }])).toBeUndefined();
    expect(
      tableOfTensors([
        { name: 'a', datatype: 'FP32', shape: [1], data: new Float32Array(1) },
        { name: 'b', datatype: 'FP32', shape: [2], data: new Float32Array(2) },
      ]),
    ).toBeUndefined();
    expect(tableOfTensors([])).toBeUndefined();
  });
});
