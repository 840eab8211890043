/**
 * The models the scoring tests map requests onto, written as the engine would describe them.
 */
import type { ServedVersionView } from '../../../engine/inference-engine.js';

/**
 * fixtures/models/iris-onnx: its MLmodel declares a tensor signature (input `input` float32
 * [-1, 4]; outputs `label` int64 [-1] and `probabilities` float32 [-1, 3]), as its graph does.
 */
export const IRIS: ServedVersionView = {
  name: 'iris',
  version: '1',
  ready: true,
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
  ],
  signature: {
    inputs: { kind: 'tensor', specs: [{ name: 'input', dtype: 'float32', shape: [-1, 4] }] },
    outputs: {
      kind: 'tensor',
      specs: [
        { name: 'label', dtype: 'int64', shape: [-1] },
        { name: 'probabilities', dtype: 'float32', shape: [-1, 3] },
      ],
    },
  },
};

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** The same graph logged from a DataFrame: a column signature naming the four features. */
export const IRIS_WITH_COLUMNS: ServedVersionView = {
  ...IRIS,
  signature: {
    inputs: { kind: 'columns', specs: IRIS_FEATURES.map((name) => ({ name, type: 'double', required: true })) },
    outputs: undefined,
  },
};

/** An sklearn-onnx pipeline: one [N, 1] input per column, and the signature of its DataFrame. */
export const PER_COLUMN: ServedVersionView = {
  name: 'fraud',
  version: '3',
  ready: true,
  inputs: [
    { name: 'amount', datatype: 'FP32', shape: [-1, 1] },
    { name: 'country', datatype: 'BYTES', shape: [-1, 1] },
    { name: 'hour', datatype: 'INT64', shape: [-1, 1] },
  ],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
  ],
  signature: {
    inputs: {
      kind: 'columns',
      specs: [
        { name: 'amount', type: 'double', required: true },
        { name: 'country', type: 'string', required: true },
        { name: 'hour', type: 'long', required: true },
      ],
    },
    outputs: undefined,
  },
};

/** The per-column model with every column optional (`required: false`), to test missing cells. */
export const PER_COLUMN_OPTIONAL: ServedVersionView = {
  ...PER_COLUMN,
  signature: {
    inputs: { kind: 'columns', specs: ['amount', 'country', 'hour'].map((name) => ({ name, type: 'double', required: false })) },
    outputs: undefined,
  },
};

/** A single-input model of another datatype and shape, no signature. */
export function singleInput(datatype: string, shape: number[]): ServedVersionView {
  return { name: 'm', version: '1', ready: true, inputs: [{ name: 'x', datatype, shape }], outputs: [] };
}
