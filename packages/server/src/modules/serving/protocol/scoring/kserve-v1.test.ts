import { describe, expect, it } from 'vitest';
import type { Tensor } from '../datatypes.js';
import { decodeKserveV1, encodeKserveV1, kserveV1ModelStatus } from './kserve-v1.js';
import { expectBadRequest } from './test-support/expect-bad-request.js';
import { IRIS, IRIS_FEATURES, IRIS_WITH_COLUMNS, PER_COLUMN } from './test-support/served-views.js';
import { toModelInputs } from './to-model-inputs.js';

const score = (body: unknown, view = IRIS) => toModelInputs(decodeKserveV1(body), view);

const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];
const IRIS_INPUT = [{ name: 'input', datatype: 'FP32', shape: [2, 4], data: new Float32Array(ROWS.flat()) }];
const PER_COLUMN_INPUTS = [
  { name: 'amount', datatype: 'FP32', shape: [2, 1], data: new Float32Array([12.5, 7]) },
  { name: 'country', datatype: 'BYTES', shape: [2, 1], data: ['US', 'FR'] },
  { name: 'hour', datatype: 'INT64', shape: [2, 1], data: new BigInt64Array([3n, 23n]) },
];

describe('decodeKserveV1: iris (one [-1, 4] input)', () => {
  it('reads instances and inputs as rows of a tensor', () => {
    expect(score({ instances: ROWS })).toEqual(IRIS_INPUT);
    expect(score({ inputs: ROWS })).toEqual(IRIS_INPUT);
  });

  it('reads row objects naming the input (TF Serving row format) and a columnar dict', () => {
    expect(score({ instances: ROWS.map((row) => ({ input: row })) })).toEqual(IRIS_INPUT);
    expect(score({ inputs: { input: ROWS } })).toEqual(IRIS_INPUT);
  });

  it('stacks row objects of named features in signature order', () => {
    const reversed = [...IRIS_FEATURES].reverse();
    const instances = ROWS.map((row) => Object.fromEntries(reversed.map((f) => [f, row[IRIS_FEATURES.indexOf(f)]])));
    expect(score({ instances }, IRIS_WITH_COLUMNS)).toEqual(IRIS_INPUT);
  });

  it('rejects an empty batch', () => {
    expectBadRequest(() => score({ instances: [] }), "input 'input' (FP32, shape [-1,4]): the batch is empty; send at least one row");
  });
});

describe('decodeKserveV1: one input per column', () => {
  it('reads row objects and a columnar dict', () => {
    const instances = [
      { amount: 12.5, country: 'US', hour: 3 },
      { amount: 7, country: 'FR', hour: 23 },
    ];
    expect(score({ instances }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
    expect(score({ inputs: { amount: [[12.5], [7]], country: [['US'], ['FR']], hour: [[3], [23]] } }, PER_COLUMN)).toEqual(PER_COLUMN_INPUTS);
  });

  it('names a wrong value, and what the model takes', () => {
    expectBadRequest(
      () => score({ instances: [{ amount: 12.5, country: 'US', hour: '3' }] }, PER_COLUMN),
      'column \'hour\' (input \'hour\', INT64, shape [-1,1]): row 0 is the string "3"; INT64 needs an integer',
    );
    expectBadRequest(
      () => score({ instances: [[12.5, 'US', 3]] }, PER_COLUMN),
      "this model has 3 inputs ('amount', 'country', 'hour'); an unnamed list feeds only a single-input model: send a dict of named lists, or rows of named columns",
    );
  });
});

describe('decodeKserveV1: malformed bodies', () => {
  it('needs exactly one of instances or inputs', () => {
    const required = 'the request must be a JSON object with exactly one of the fields instances or inputs';
    expectBadRequest(() => decodeKserveV1('x'), `${required}; got the string "x"`);
    expectBadRequest(() => decodeKserveV1({ signature_name: 'serving_default' }), `${required}; got neither (fields sent: signature_name)`);
    expectBadRequest(() => decodeKserveV1({ instances: ROWS, inputs: ROWS }), `${required}; got both (fields sent: instances, inputs)`);
  });

  it('takes instances only as a list, as TF Serving does', () => {
    expectBadRequest(() => decodeKserveV1({ instances: { input: ROWS } }), 'instances must be a list; got an object');
  });
});

describe('encodeKserveV1', () => {
  const label: Tensor = { name: 'label', datatype: 'INT64', shape: [2], data: new BigInt64Array([0n, 2n]) };
  const probabilities: Tensor = { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: new Float32Array([0.5, 0.25, 0.25, 0, 0.5, 0.5]) };

  it('answers one output as one entry per instance', () => {
    expect(encodeKserveV1([label])).toEqual({ predictions: [0, 2] });
    expect(encodeKserveV1([probabilities])).toEqual({ predictions: [[0.5, 0.25, 0.25], [0, 0.5, 0.5]] });
  });

  it('answers several outputs as one object per instance, by output name', () => {
    expect(encodeKserveV1([label, probabilities])).toEqual({
      predictions: [
        { label: 0, probabilities: [0.5, 0.25, 0.25] },
        { label: 2, probabilities: [0, 0.5, 0.5] },
      ],
    });
  });

  it('renders 64-bit integers beyond 2^53 as strings', () => {
    const ids: Tensor = { name: 'ids', datatype: 'UINT64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) };
    expect(encodeKserveV1([ids])).toEqual({ predictions: ['18446744073709551615'] });
  });

  it('cannot cut outputs without a shared batch dimension into instances: a server fault naming them', () => {
    const total: Tensor = { name: 'total', datatype: 'FP32', shape: [], data: new Float32Array([1]) };
    expect(() => encodeKserveV1([label, total])).toThrowError(
      "the KServe v1 format answers one object per instance, but output 'total' (shape []) does not share the batch dimension of 'label' (shape [2]); " +
        'use the Open Inference Protocol (/v2/models/{name}/infer) for this model',
    );
  });
});

describe('kserveV1ModelStatus', () => {
  it('answers the model name and readiness', () => {
    expect(kserveV1ModelStatus({ ...IRIS, ready: false })).toEqual({ name: 'iris', ready: false });
  });
});
