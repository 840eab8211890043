import { describe, expect, it } from 'vitest';
import { ServingError } from '../../engine/inference-engine.js';
import { numberToHalfBits } from '../datatypes.js';
import type { ColumnsPayload, NamedTensorsPayload, TensorPayload } from './scoring-payload.js';
import { expectBadRequest } from './test-support/expect-bad-request.js';
import { IRIS, IRIS_FEATURES, IRIS_WITH_COLUMNS, PER_COLUMN, PER_COLUMN_OPTIONAL, singleInput } from './test-support/served-views.js';
import { toModelInputs } from './to-model-inputs.js';

const tensor = (data: unknown[]): TensorPayload => ({ kind: 'tensor', data });
const named = (tensors: Record<string, unknown>): NamedTensorsPayload => ({ kind: 'named-tensors', tensors: new Map(Object.entries(tensors)) });
function table(columns: Record<string, unknown[]>, textCells = false): ColumnsPayload {
  return { kind: 'columns', columns: new Map(Object.entries(columns)), rowCount: Object.values(columns)[0]?.length ?? 0, textCells };
}

const IRIS_ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];

describe('toModelInputs: an unnamed list feeds a single-input model', () => {
  it('takes the shape from the nesting and converts to the input datatype', () => {
    expect(toModelInputs(tensor(IRIS_ROWS), IRIS)).toEqual([
      { name: 'input', datatype: 'FP32', shape: [2, 4], data: new Float32Array(IRIS_ROWS.flat()) },
    ]);
  });

  it('rejects a shape the input does not declare', () => {
    expectBadRequest(
      () => toModelInputs(tensor([5.1, 3.5, 1.4, 0.2]), IRIS),
      "input 'input' (FP32, shape [-1,4]) needs rank 2 (shape [-1,4]); got shape [4] (a single row still needs its own enclosing list)",
    );
    expectBadRequest(
      () => toModelInputs(tensor([[1, 2, 3]]), IRIS),
      "input 'input' (FP32, shape [-1,4]) needs size 4 for dimension 1 (shape [-1,4]); got shape [1,3]",
    );
    expectBadRequest(() => toModelInputs(tensor([[[1, 2, 3, 4]]]), IRIS), /needs rank 2 \(shape \[-1,4\]\); got shape \[1,1,4\]$/);
  });

  it('rejects ragged lists, wrong element types and an empty batch', () => {
    expectBadRequest(
      () => toModelInputs(tensor([[1, 2, 3, 4], [1, 2, 3]]), IRIS),
      "input 'input' (FP32, shape [-1,4]): element [1] has 3 entries where element [0] has 4; ragged lists are not a tensor",
    );
    expectBadRequest(
      () => toModelInputs(tensor([[1, 2, 3, 4], [1, 2, 'x', 4]]), IRIS),
      'input \'input\' (FP32, shape [-1,4]): element [1][2] is the string "x"; FP32 needs a finite number',
    );
    expectBadRequest(() => toModelInputs(tensor([]), IRIS), "input 'input' (FP32, shape [-1,4]): the batch is empty; send at least one row");
  });

  it('feeds an [N, 1] input from a flat list, and any shape to an input of unknown rank', () => {
    expect(toModelInputs(tensor([1, 2]), singleInput('FP64', [-1, 1]))[0]).toMatchObject({ shape: [2, 1], data: new Float64Array([1, 2]) });
    expect(toModelInputs(tensor([[[1]], [[2]]]), singleInput('FP64', []))[0]).toMatchObject({ shape: [2, 1, 1] });
  });

  it('refuses an unnamed list for a model with several inputs', () => {
    expectBadRequest(
      () => toModelInputs(tensor([[12.5, 'US', 3]]), PER_COLUMN),
      "this model has 3 inputs ('amount', 'country', 'hour'); an unnamed list feeds only a single-input model: send a dict of named lists, or rows of named columns",
    );
  });

  it('treats a model input no request can feed as a server fault, not a 400', () => {
    const broken = singleInput('BF16', [-1]);
    expect(() => toModelInputs(tensor([1]), broken)).toThrowError("model input 'x' has datatype BF16, which no request can feed");
    expect(() => toModelInputs(tensor([1]), broken)).not.toThrowError(ServingError);
  });
});

describe('toModelInputs: element conversion follows the OIP decoder', () => {
  it('takes INT64 only from safe integers, within range', () => {
    expect(toModelInputs(tensor([1, -2, 2 ** 53 - 1]), singleInput('INT64', [-1]))[0]!.data).toEqual(new BigInt64Array([1n, -2n, 2n ** 53n - 1n]));
    expectBadRequest(
      () => toModelInputs(tensor([2 ** 53]), singleInput('INT64', [-1])),
      "input 'x' (INT64, shape [-1]): element [0] (9007199254740992) is beyond 2^53, where JSON numbers lose precision; send it as CSV text or through the Open Inference Protocol",
    );
    expectBadRequest(() => toModelInputs(tensor([1.5]), singleInput('INT64', [-1])), "input 'x' (INT64, shape [-1]): element [0] is the number 1.5; INT64 needs an integer");
    expectBadRequest(
      () => toModelInputs(tensor([-1]), singleInput('UINT64', [-1])),
      "input 'x' (UINT64, shape [-1]): element [0] is the number -1; UINT64 needs an integer from 0 to 18446744073709551615",
    );
  });

  it('checks the ranges of the small integer types', () => {
    expect(toModelInputs(tensor([0, 255]), singleInput('UINT8', [-1]))[0]!.data).toEqual(new Uint8Array([0, 255]));
    expectBadRequest(() => toModelInputs(tensor([0, 256]), singleInput('UINT8', [-1])), "input 'x' (UINT8, shape [-1]): element [1] is the number 256; UINT8 needs an integer from 0 to 255");
  });

  it('rounds FP16 through numberToHalfBits and rejects what overflows it', () => {
    expect(toModelInputs(tensor([0.1, -2]), singleInput('FP16', [-1]))[0]!.data).toEqual(new Uint16Array([numberToHalfBits(0.1), numberToHalfBits(-2)]));
    expectBadRequest(() => toModelInputs(tensor([70000]), singleInput('FP16', [-1])), "input 'x' (FP16, shape [-1]): element [0] is the number 70000; FP16 needs a number within ±65504");
    expectBadRequest(() => toModelInputs(tensor([1e39]), singleInput('FP32', [-1])), "input 'x' (FP32, shape [-1]): element [0] is the number 1e+39; FP32 needs a number within the float32 range");
  });

  it('takes BOOL only from booleans and BYTES only from strings', () => {
    expect(toModelInputs(tensor([true, false]), singleInput('BOOL', [-1]))[0]!.data).toEqual([true, false]);
    expectBadRequest(() => toModelInputs(tensor([1]), singleInput('BOOL', [-1])), "input 'x' (BOOL, shape [-1]): element [0] is the number 1; BOOL needs a boolean (true or false)");
    expectBadRequest(() => toModelInputs(tensor(['a', 7]), singleInput('BYTES', [-1])), "input 'x' (BYTES, shape [-1]): element [1] is the number 7; BYTES needs a string");
  });
});

describe('toModelInputs: a table for a single-input model is stacked into [rows, columns]', () => {
  const irisColumns = (order: readonly string[]) =>
    Object.fromEntries(order.map((name) => [name, IRIS_ROWS.map((row) => row[IRIS_FEATURES.indexOf(name)])]));

  it('stacks in the order sent when the signature names no columns', () => {
    const sent = { a: [1, 5], b: [2, 6], c: [3, 7], d: [4, 8] };
    expect(toModelInputs(table(sent), IRIS)).toEqual([
      { name: 'input', datatype: 'FP32', shape: [2, 4], data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]) },
    ]);
  });

  it("stacks in the signature's order whatever order the columns arrive in", () => {
    const shuffled = irisColumns(['petal_width', 'sepal_length', 'petal_length', 'sepal_width']);
    expect(toModelInputs(table(shuffled), IRIS_WITH_COLUMNS)[0]!.data).toEqual(new Float32Array(IRIS_ROWS.flat()));
  });

  it('stacks a dict of flat lists the same way', () => {
    expect(toModelInputs(named(irisColumns(IRIS_FEATURES)), IRIS_WITH_COLUMNS)[0]).toMatchObject({ shape: [2, 4], data: new Float32Array(IRIS_ROWS.flat()) });
  });

  it('names missing and unexpected columns', () => {
    const { petal_width: _dropped, ...three } = irisColumns(IRIS_FEATURES);
    expectBadRequest(
      () => toModelInputs(table({ ...three, petal_wdith: [0.2, 2.3] }), IRIS_WITH_COLUMNS),
      "the model takes the columns 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', stacked in that order into input 'input' (FP32, shape [-1,4]); " +
        "missing required columns: 'petal_width'; columns the model does not take: 'petal_wdith'",
    );
  });

  it('rejects a column count the input cannot take', () => {
    expectBadRequest(
      () => toModelInputs(table({ a: [1], b: [2], c: [3] }), IRIS),
      "input 'input' (FP32, shape [-1,4]) takes 4 values per row; the request has 3 columns ('a', 'b', 'c')",
    );
    expectBadRequest(
      () => toModelInputs(table({ a: [1], b: [2] }), singleInput('FP32', [-1])),
      "input 'x' (FP32, shape [-1]) takes 1 value per row; the request has 2 columns ('a', 'b')",
    );
    expect(toModelInputs(table({ a: [1, 2] }), singleInput('FP32', [-1]))[0]).toMatchObject({ shape: [2] });
    expectBadRequest(
      () => toModelInputs(table({ a: [1], b: [2] }), singleInput('FP32', [-1, 2, 2])),
      "input 'x' (FP32, shape [-1,2,2]) takes rank-3 tensors, not a table; the request has 2 columns ('a', 'b')",
    );
    expect(toModelInputs(table({ a: [1], b: [2], c: [3] }), singleInput('FP32', []))[0]).toMatchObject({ shape: [1, 3] });
  });

  it('names the column and row of a cell of the wrong type', () => {
    const columns = irisColumns(IRIS_FEATURES);
    expectBadRequest(
      () => toModelInputs(table({ ...columns, sepal_width: [3.5, 'wide'] }), IRIS_WITH_COLUMNS),
      'input \'input\' (FP32, shape [-1,4]): column \'sepal_width\', row 1 is the string "wide"; FP32 needs a finite number',
    );
  });

  it('reads CSV text cells as numbers', () => {
    const csv = table({ a: ['1', ' 2.5 '], b: ['3e2', '-4'], c: ['0', '.5'], d: ['7', '8.'] }, true);
    expect(toModelInputs(csv, IRIS)[0]!.data).toEqual(new Float32Array([1, 3e2, 0, 7, 2.5, -4, 0.5, 8]));
    expectBadRequest(
      () => toModelInputs(table({ a: ['1'], b: ['n/a'], c: ['0'], d: ['7'] }, true), IRIS),
      'input \'input\' (FP32, shape [-1,4]): column \'b\', row 0 is the string "n/a"; FP32 needs a finite number',
    );
  });

  it('fills an optional column the request left out with NaN', () => {
    const optional = {
      ...IRIS_WITH_COLUMNS,
      signature: { inputs: { kind: 'columns' as const, specs: IRIS_FEATURES.map((name, i) => ({ name, type: 'double', required: i < 3 })) }, outputs: undefined },
    };
    const { petal_width: _dropped, ...three } = irisColumns(IRIS_FEATURES);
    const data = toModelInputs(table(three), optional)[0]!.data as Float32Array;
    expect([...data.slice(0, 3)]).toEqual([...new Float32Array([5.1, 3.5, 1.4])]);
    expect(data[3]).toBeNaN();
  });

  it('rejects a request without rows, and a dict that is no table', () => {
    expectBadRequest(() => toModelInputs(table({ a: [], b: [], c: [], d: [] }), IRIS), 'the request holds no rows; send at least one');
    expectBadRequest(() => toModelInputs(named({}), IRIS), 'the request names no inputs or columns');
    expectBadRequest(
      () => toModelInputs(named({ features: [[5.1, 3.5, 1.4, 0.2]] }), IRIS),
      "'features' is not an input of this model (its only input is input 'input' (FP32, shape [-1,4])); read as a column, it needs one value per row, but row 0 is a list",
    );
    expectBadRequest(
      () => toModelInputs(named({ a: [1, 2], b: [3] }), IRIS),
      "column 'b' has 1 values where column 'a' has 2; every column needs one value per row",
    );
  });
});

describe('toModelInputs: a model with one input per column', () => {
  const expected = [
    { name: 'amount', datatype: 'FP32', shape: [2, 1], data: new Float32Array([12.5, 7]) },
    { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['US', 'FR'] },
    { name: 'hour', datatype: 'INT64', shape: [2, 1], data: new BigInt64Array([3n, 23n]) },
  ];

  it('feeds each input from the column of its name, converted to its datatype', () => {
    expect(toModelInputs(table({ hour: [3, 23], amount: [12.5, 7], country: ['US', 'FR'] }), PER_COLUMN)).toEqual(expected);
  });

  it('feeds them from a dict of flat or [N, 1] lists alike', () => {
    expect(toModelInputs(named({ amount: [12.5, 7], country: ['US', 'FR'], hour: [3, 23] }), PER_COLUMN)).toEqual(expected);
    expect(toModelInputs(named({ amount: [[12.5], [7]], country: [['US'], ['FR']], hour: [[3], [23]] }), PER_COLUMN)).toEqual(expected);
  });

  it('reads CSV text for each datatype: exact 64-bit integers, strings kept as written', () => {
    const inputs = toModelInputs(table({ amount: ['12.5'], country: ['123'], hour: ['9007199254740993'] }, true), PER_COLUMN);
    expect(inputs.map((t) => t.data)).toEqual([new Float32Array([12.5]), ['123'], new BigInt64Array([9007199254740993n])]);
  });

  it('names missing and unexpected columns or inputs', () => {
    expectBadRequest(
      () => toModelInputs(table({ amount: [1], country: ['US'], hours: [3] }), PER_COLUMN),
      "the model's inputs are 'amount', 'country', 'hour', each fed by the column of that name; missing columns: 'hour'; columns the model does not take: 'hours'",
    );
    expectBadRequest(
      () => toModelInputs(named({ amount: [1], country: ['US'] }), PER_COLUMN),
      "the model's inputs are 'amount', 'country', 'hour', each fed by the input of that name; missing inputs: 'hour'",
    );
  });

  it('names the column, row and expected datatype of a wrong cell', () => {
    const base = { amount: [12.5, 7], country: ['US', 'FR'], hour: [3, 23] };
    expectBadRequest(
      () => toModelInputs(table({ ...base, amount: ['12.5', 7] }), PER_COLUMN),
      'column \'amount\' (input \'amount\', FP32, shape [-1,1]): row 0 is the string "12.5"; FP32 needs a finite number',
    );
    expectBadRequest(
      () => toModelInputs(table({ ...base, country: ['US', 7] }), PER_COLUMN),
      "column 'country' (input 'country', BYTES, shape [-1,1]): row 1 is the number 7; BYTES needs a string",
    );
    expectBadRequest(
      () => toModelInputs(table({ ...base, hour: [2.5, 23] }), PER_COLUMN),
      "column 'hour' (input 'hour', INT64, shape [-1,1]): row 0 is the number 2.5; INT64 needs an integer",
    );
    expectBadRequest(
      () => toModelInputs(named({ ...base, hour: 3 }), PER_COLUMN),
      "input 'hour' (INT64, shape [-1,1]) needs a list; got the number 3",
    );
  });

  it('rejects a missing cell in a required column', () => {
    expectBadRequest(
      () => toModelInputs(table({ amount: [12.5, null], country: ['US', 'FR'], hour: [3, 23] }), PER_COLUMN),
      "column 'amount' (input 'amount', FP32, shape [-1,1]): row 1 is missing (null, absent or an empty CSV field); a value is required",
    );
  });

  it('reads a missing cell of an optional column as NaN where the input is floating-point, and only there', () => {
    const amount = toModelInputs(table({ amount: [null, 7], country: ['US', 'FR'], hour: [3, 23] }), PER_COLUMN_OPTIONAL)[0]!;
    expect((amount.data as Float32Array)[0]).toBeNaN();
    expectBadRequest(
      () => toModelInputs(table({ amount: [1, 7], country: ['US', 'FR'], hour: [3, null] }), PER_COLUMN_OPTIONAL),
      "column 'hour' (input 'hour', INT64, shape [-1,1]): row 1 is missing (null, absent or an empty CSV field); " +
        'the column is optional, but INT64 has no missing-value marker (only floating-point inputs take NaN)',
    );
  });

  it('names the row and element of a per-row list', () => {
    const view = { ...PER_COLUMN, inputs: [{ name: 'v', datatype: 'FP32', shape: [-1, 2] }], signature: undefined };
    expectBadRequest(
      () => toModelInputs(table({ v: [[1, 2], [3, 'x']] }), view),
      'column \'v\' (input \'v\', FP32, shape [-1,2]): row 1, element [1] is the string "x"; FP32 needs a finite number',
    );
  });
});
