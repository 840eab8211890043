import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { numberToHalfBits, type Tensor } from '../datatypes.js';
import { decodeMlflowInvocation, encodeMlflowPredictions } from './mlflow-invocation.js';
import { expectBadRequest } from './test-support/expect-bad-request.js';
import { IRIS, PER_COLUMN } from './test-support/served-views.js';
import { toModelInputs } from './to-model-inputs.js';

const JSON_TYPE = 'application/json';
const score = (body: unknown, view = IRIS, contentType = JSON_TYPE) => toModelInputs(decodeMlflowInvocation(body, contentType).payload, view);

const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];
const IRIS_INPUT = [{ name: 'input', datatype: 'FP32', shape: [2, 4], data: new Float32Array(ROWS.flat()) }];

const TRANSACTIONS = {
  columns: ['amount', 'country', 'hour'],
  data: [
    [12.5, 'US', 3],
    [7, 'FR', 23],
  ],
};
const PER_COLUMN_INPUTS = [
  { name: 'amount', datatype: 'FP32', shape: [2, 1], data: new Float32Array([12.5, 7]) },
  { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['US', 'FR'] },
  { name: 'hour', datatype: 'INT64', shape: [2, 1], data: new BigInt64Array([3n, 23n]) },
];
const RECORDS = [
  { amount: 12.5, country: 'US', hour: 3 },
  { amount: 7, country: 'FR', hour: 23 },
];

describe('decodeMlflowInvocation: every request format, iris (one [-1, 4] input)', () => {
  it('reads inputs and instances as rows of a tensor', () => {
    expect(score({ inputs: ROWS })).toEqual(IRIS_INPUT);
    expect(score({ instances: ROWS })).toEqual(IRIS_INPUT);
  });

  it('reads a dict naming the input', () => {
    expect(score({ inputs: { input: ROWS } })).toEqual(IRIS_INPUT);
    expect(score({ instances: { input: ROWS } })).toEqual(IRIS_INPUT);
  });

  it('stacks the columns of dataframe_split, dataframe_records and row instances', () => {
    const columns = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
    const records = ROWS.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
    expect(score({ dataframe_split: { columns, data: ROWS, index: [10, 11] } })).toEqual(IRIS_INPUT);
    expect(score({ dataframe_records: records })).toEqual(IRIS_INPUT);
    expect(score({ instances: records })).toEqual(IRIS_INPUT);
  });

  it('reads dataframe_split without column names as positional rows', () => {
    expect(score({ dataframe_split: { data: ROWS } })).toEqual(IRIS_INPUT);
  });

  it('reads the serving input example MLflow saved with the iris fixture', async () => {
    const example = await readFile(new URL('../../../../../../../fixtures/models/iris-onnx/serving_input_example.json', import.meta.url), 'utf8');
    const [input] = score(example);
    expect(input).toMatchObject({ name: 'input', datatype: 'FP32', shape: [5, 4] });
    expect(input!.data[0]).toBe(Math.fround(4.400000095367432));
  });

  it('reads a CSV table', () => {
    const csv = 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n';
    expect(score(csv, IRIS, 'text/csv')).toEqual(IRIS_INPUT);
    expect(score(new TextEncoder().encode(csv), IRIS, 'text/csv; charset=utf-8')).toEqual(IRIS_INPUT);
  });
});

describe('decodeMlflowInvocation: every request format, one input per column', () => {
  it('reads dataframe_split, dataframe_records and row instances', () => {
    expect(score({ dataframe_split: TRANSACTIONS }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
    expect(score({ dataframe_records: RECORDS }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
    expect(score({ instances: RECORDS }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
  });

  it('reads dicts of named lists under inputs and instances', () => {
    const dict = { amount: [12.5, 7], country: ['US', 'FR'], hour: [3, 23] };
    expect(score({ inputs: dict }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
    expect(score({ instances: dict }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
  });

  it('reads a CSV table, quoting and all', () => {
    expect(score('hour,country,amount\n3,"US",12.5\r\n23,FR,7\r\n', PER_COLUMN, 'text/csv')).toEqual(PER_COLUMN_INPUTS);
  });

  it('reports a row of records lacking a column as a missing cell', () => {
    expectBadRequest(
      () => score({ dataframe_records: [RECORDS[0], { amount: 7, country: 'FR' }] }, PER_COLUMN),
      "column 'hour' (input 'hour', INT64, shape [-1,1]): row 1 is missing (null, absent or an empty CSV field); a value is required",
    );
    expectBadRequest(
      () => score('amount,country,hour\n12.5,,3\n', PER_COLUMN, 'text/csv'),
      "column 'country' (input 'country', BYTES, shape [-1,1]): row 0 is missing (null, absent or an empty CSV field); a value is required",
    );
  });
});

describe('decodeMlflowInvocation: params, content types and malformed bodies', () => {
  it('passes params through and leaves them out when absent', () => {
    expect(decodeMlflowInvocation({ inputs: ROWS, params: { threshold: 0.7, tag: 'x', debug: true } }, JSON_TYPE).params).toEqual({
      threshold: 0.7,
      tag: 'x',
      debug: true,
    });
    expect(decodeMlflowInvocation({ inputs: ROWS }, JSON_TYPE)).not.toHaveProperty('params');
    expectBadRequest(() => decodeMlflowInvocation({ inputs: ROWS, params: [1] }, JSON_TYPE), 'params must be an object of parameter name to value; got an array');
    expectBadRequest(() => decodeMlflowInvocation({ inputs: ROWS, params: { ids: [1, 2] } }, JSON_TYPE), 'params.ids must be a string, number or boolean; got an array');
  });

  it('accepts JSON and CSV in UTF-8 only', () => {
    expect(decodeMlflowInvocation({ inputs: ROWS }, 'Application/JSON; charset="UTF-8"').payload.kind).toBe('tensor');
    expect(() => decodeMlflowInvocation({ inputs: ROWS }, 'text/plain')).toThrow(
      expect.objectContaining({ status: 415, message: "content type 'text/plain' is not supported; send application/json or text/csv" }),
    );
    expectBadRequest(() => decodeMlflowInvocation({ inputs: ROWS }, 'application/json; charset=latin-1'), 'the scoring server only reads UTF-8; got charset=latin-1');
    expectBadRequest(
      () => decodeMlflowInvocation({ inputs: ROWS }, 'application/json; format=pandas-split'),
      "content type parameter 'format' is not supported; MLflow's scoring protocol takes only charset=utf-8",
    );
  });

  it('parses a body handed over as text or bytes', () => {
    expect(score(JSON.stringify({ inputs: ROWS }))).toEqual(IRIS_INPUT);
    expect(score(new TextEncoder().encode(JSON.stringify({ inputs: ROWS })))).toEqual(IRIS_INPUT);
    expectBadRequest(() => decodeMlflowInvocation('{"inputs": [', JSON_TYPE), /^the body is not valid JSON: /);
    expectBadRequest(() => decodeMlflowInvocation(new Uint8Array([0xff, 0xfe]), JSON_TYPE), 'the body is not valid UTF-8');
    expectBadRequest(() => decodeMlflowInvocation({ csv: true }, 'text/csv'), 'a text/csv body must be text; got an object');
  });

  it('needs exactly one input field', () => {
    const required = 'the input must be a JSON object with exactly one of the fields dataframe_split, dataframe_records, instances, inputs';
    expectBadRequest(() => decodeMlflowInvocation(ROWS, JSON_TYPE), `${required}; got an array`);
    expectBadRequest(() => decodeMlflowInvocation({ data: ROWS }, JSON_TYPE), `${required}; got none (fields sent: data)`);
    expectBadRequest(() => decodeMlflowInvocation({ inputs: ROWS, instances: ROWS }, JSON_TYPE), `${required}; got instances and inputs (fields sent: inputs, instances)`);
  });

  it('names what is wrong with a dataframe_split', () => {
    const split = (value: unknown) => () => decodeMlflowInvocation({ dataframe_split: value }, JSON_TYPE);
    expectBadRequest(split([1]), 'dataframe_split must be an object with columns and data; got an array');
    expectBadRequest(split({ columns: ['a'], data: 'x' }), 'dataframe_split.data must be a list of rows; got the string "x"');
    expectBadRequest(split({ columns: 'a', data: [] }), 'dataframe_split.columns must be a list of column names; got the string "a"');
    expectBadRequest(split({ columns: ['a', null], data: [] }), 'dataframe_split.columns[1] must be a column name; got null');
    expectBadRequest(split({ columns: ['a', 'a'], data: [] }), "dataframe_split.columns names 'a' more than once");
    expectBadRequest(split({ columns: ['a', 'b'], data: [[1, 2], [3]] }), 'dataframe_split.data[1] has 1 values for 2 columns');
    expectBadRequest(split({ columns: ['a'], data: [5] }), 'dataframe_split.data[0] must be a list of 1 values (one row); got the number 5');
    expectBadRequest(split({ columns: ['a'], data: [[1]], index: [0, 1] }), 'dataframe_split.index must be a list with one label per row (1); got 2 labels');
  });

  it('names what is wrong with records and instances', () => {
    expectBadRequest(() => decodeMlflowInvocation({ dataframe_records: { a: 1 } }, JSON_TYPE), 'dataframe_records must be a list of row objects; got an object');
    expectBadRequest(
      () => decodeMlflowInvocation({ dataframe_records: [{ a: 1 }, 2] }, JSON_TYPE),
      'dataframe_records[1] must be an object of column name to value (one row); got the number 2',
    );
    expectBadRequest(
      () => decodeMlflowInvocation({ instances: [{ a: 1 }, [1]] }, JSON_TYPE),
      'instances mixes row objects with other values (instances[1] is an array); send either a list of objects (one per row) or a list of values',
    );
    expectBadRequest(() => decodeMlflowInvocation({ inputs: 'x' }, JSON_TYPE), 'inputs must be a list or an object of named lists; got the string "x"');
  });
});

describe('encodeMlflowPredictions', () => {
  const label: Tensor = { name: 'label', datatype: 'INT64', shape: [2], data: new BigInt64Array([0n, 2n]) };
  const probabilities: Tensor = { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: new Float32Array([0.5, 0.25, 0.25, 0, 0.5, 0.5]) };

  it('answers one output as its nested lists (a 1-D output as a flat list)', () => {
    expect(encodeMlflowPredictions([label])).toEqual({ predictions: [0, 2] });
    expect(encodeMlflowPredictions([probabilities])).toEqual({ predictions: [[0.5, 0.25, 0.25], [0, 0.5, 0.5]] });
  });

  it('answers several outputs as an object by output name', () => {
    expect(encodeMlflowPredictions([label, probabilities])).toEqual({
      predictions: { label: [0, 2], probabilities: [[0.5, 0.25, 0.25], [0, 0.5, 0.5]] },
    });
  });

  it('renders every datatype as JSON: exact INT64 as numbers, others as strings; FP16 as numbers', () => {
    const ids: Tensor = { name: 'ids', datatype: 'INT64', shape: [2], data: new BigInt64Array([-7n, 2n ** 60n]) };
    const half: Tensor = { name: 'half', datatype: 'FP16', shape: [1, 2], data: new Uint16Array([numberToHalfBits(0.5), numberToHalfBits(-3)]) };
    const flags: Tensor = { name: 'flags', datatype: 'BOOL', shape: [2], data: [true, false] };
    const words: Tensor = { name: 'words', datatype: 'BYTES', shape: [], data: ['hi'] };
    expect(encodeMlflowPredictions([ids, half, flags, words])).toEqual({
      predictions: { ids: [-7, '1152921504606846976'], half: [[0.5, -3]], flags: [true, false], words: 'hi' },
    });
  });

  it('treats an output whose data does not fit its shape as a server fault', () => {
    const broken: Tensor = { name: 'label', datatype: 'INT64', shape: [3], data: new BigInt64Array([1n]) };
    expect(() => encodeMlflowPredictions([broken])).toThrowError("model output 'label' (INT64, shape [3]) holds 1 elements, not 3");
  });
});
