import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { parseMlModel } from './mlmodel.js';
import { describeSignatureMismatch, parseMlflowSignature, toMlflowSignature, type ModelSignature, type TensorSpec } from './signature.js';
import { readFixtureText } from './test-support/package-files.js';

const tensors = (...specs: TensorSpec[]) => ({ kind: 'tensor' as const, specs });

const IRIS_GRAPH: ModelSignature = {
  inputs: tensors({ name: 'input', dtype: 'float32', shape: [-1, 4] }),
  outputs: tensors({ name: 'label', dtype: 'int64', shape: [-1] }, { name: 'probabilities', dtype: 'float32', shape: [-1, 3] }),
};

describe('parseMlflowSignature', () => {
  it('reads tensor signatures as mlflow writes them', async () => {
    const mlmodel = parseMlModel(await readFixtureText('iris-onnx', 'MLmodel'));
    expect(parseMlflowSignature(mlmodel.signature)).toEqual(IRIS_GRAPH);
  });

  it('reads unnamed tensors', () => {
    expect(
      parseMlflowSignature({ inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 28, 28]}}]' }),
    ).toEqual({ inputs: tensors({ dtype: 'float64', shape: [-1, 28, 28] }), outputs: undefined });
  });

  it('reads column signatures, including composite types and pre-2.8 entries without `required`', () => {
    const sig = parseMlflowSignature({
      inputs:
        '[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "city", "required": false}, ' +
        '{"type": "array", "items": {"type": "long"}, "name": "ids", "required": true}, {"type": "long", "name": "legacy"}]',
      outputs: '[{"type": "long", "required": true}]',
      params: '[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}]',
    });
    expect(sig).toEqual({
      inputs: {
        kind: 'columns',
        specs: [
          { name: 'x', type: 'double', required: true },
          { name: 'city', type: 'string', required: false },
          { name: 'ids', type: 'array', required: true, detail: { items: { type: 'long' } } },
          { name: 'legacy', type: 'long', required: true },
        ],
      },
      outputs: { kind: 'columns', specs: [{ type: 'long', required: true }] },
      params: [{ name: 'temperature', type: 'double', default: 0.5, shape: null }],
    });
  });

  it('treats an absent or empty signature as none', () => {
    expect(parseMlflowSignature(undefined)).toBeUndefined();
    expect(parseMlflowSignature({ inputs: null, outputs: null, params: null })).toBeUndefined();
    expect(parseMlflowSignature({ inputs: '[]' })).toBeUndefined();
  });

  it('keeps an outputs-only signature, with no inputs declared', () => {
    expect(parseMlflowSignature({ outputs: '[{"type": "double", "required": true}]' })).toEqual({
      inputs: { kind: 'columns', specs: [] },
      outputs: { kind: 'columns', specs: [{ type: 'double', required: true }] },
    });
  });

  it('rejects malformed schemas with a clear INVALID_PARAMETER_VALUE', () => {
    const cases: Array<[string, RegExp]> = [
      ['[{"type": "tensor"', /inputs is not valid JSON/],
      ['{"type": "double"}', /inputs must be a JSON list/],
      ['[42]', /inputs\[0\] must be a JSON object/],
      ['[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}, {"type": "double"}]', /mixes tensors and columns/],
      ['[{"type": "tensor", "dtype": "float32"}]', /without a "tensor-spec" object/],
      ['[{"type": "tensor", "tensor-spec": {"shape": [1]}}]', /has no dtype/],
      ['[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-2]}}]', /shape must be a list of integers/],
      ['[{"type": "decimal", "name": "x"}]', /unsupported type "decimal"/],
      ['[{"type": "double", "name": 3}]', /name must be a string/],
      ['[{"type": "double", "required": "yes"}]', /required must be true or false/],
    ];
    for (const [inputs, message] of cases) {
      let err: unknown;
      try {
        parseMlflowSignature({ inputs });
      } catch (e) {
        err = e;
      }
      expect(err, inputs).toBeInstanceOf(CapstanError);
      expect((err as CapstanError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((err as CapstanError).message, inputs).toMatch(message);
    }
  });
});

describe('toMlflowSignature', () => {
  it('writes the JSON strings MLflow writes, byte for byte', async () => {
    const mlmodel = parseMlModel(await readFixtureText('iris-onnx', 'MLmodel'));
    expect(toMlflowSignature(IRIS_GRAPH)).toEqual(mlmodel.signature);
  });

  it('writes columns in ColSpec.to_dict order and round-trips composite types', () => {
    const fields = {
      inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "array", "items": {"type": "long"}, "name": "ids", "required": false}]',
      outputs: '[{"type": "long", "required": true}]',
      params: '[{"name": "k", "type": "long", "default": 3, "shape": null}]',
    };
    const sig = parseMlflowSignature(fields) as ModelSignature;
    expect(toMlflowSignature(sig)).toEqual(fields);
  });

  it('escapes non-ASCII names as Python json.dumps does', () => {
    const sig: ModelSignature = { inputs: { kind: 'columns', specs: [{ name: 'température 🌡', type: 'double', required: true }] }, outputs: undefined };
    const fields = toMlflowSignature(sig);
    expect(fields.inputs).toBe('[{"type": "double", "name": "temp\\u00e9rature \\ud83c\\udf21", "required": true}]');
    expect(parseMlflowSignature(fields)).toEqual(sig);
  });

  it('writes null for what is not declared', () => {
    expect(toMlflowSignature({ inputs: tensors({ dtype: 'float32', shape: [-1] }), outputs: undefined })).toEqual({
      inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]',
      outputs: null,
      params: null,
    });
  });
});

describe('describeSignatureMismatch', () => {
  it('finds nothing when the signatures agree, -1 matching any size', () => {
    expect(describeSignatureMismatch(IRIS_GRAPH, IRIS_GRAPH)).toEqual([]);
    const fixedBatch: ModelSignature = { inputs: tensors({ name: 'input', dtype: 'float32', shape: [8, 4] }), outputs: undefined };
    expect(describeSignatureMismatch(fixedBatch, IRIS_GRAPH)).toEqual([]);
    expect(describeSignatureMismatch(IRIS_GRAPH, { ...IRIS_GRAPH, inputs: tensors({ name: 'input', dtype: 'float32', shape: [-1, -1] }) })).toEqual([]);
  });

  it('pairs unnamed declared tensors by position, and accepts dtype aliases', () => {
    const unnamed: ModelSignature = { inputs: tensors({ dtype: 'float32', shape: [-1, 4] }), outputs: undefined };
    expect(describeSignatureMismatch(unnamed, IRIS_GRAPH)).toEqual([]);
    const alias: ModelSignature = { inputs: tensors({ name: 'x', dtype: 'double', shape: [-1] }), outputs: undefined };
    const graph: ModelSignature = { inputs: tensors({ name: 'x', dtype: 'float64', shape: [-1] }), outputs: undefined };
    expect(describeSignatureMismatch(alias, graph)).toEqual([]);
  });

  it('describes dtype, rank and fixed-dimension disagreements', () => {
    const declared: ModelSignature = {
      inputs: tensors({ name: 'input', dtype: 'float64', shape: [-1, 5] }),
      outputs: tensors({ name: 'label', dtype: 'int64', shape: [-1, 1] }, { name: 'probabilities', dtype: 'float32', shape: [-1, 3] }),
    };
    expect(describeSignatureMismatch(declared, IRIS_GRAPH)).toEqual([
      'input `input`: declared dtype float64, the model has float32',
      'input `input`: declared size 5 for dimension 1, the model has 4 (declared shape [-1, 5], the model\'s [-1, 4])',
      'output `label`: declared rank 2 (shape [-1, 1]), the model has rank 1 (shape [-1])',
    ]);
  });

  it('describes missing, extra and renamed entries', () => {
    const declared: ModelSignature = {
      inputs: tensors({ name: 'features', dtype: 'float32', shape: [-1, 4] }),
      outputs: tensors({ name: 'label', dtype: 'int64', shape: [-1] }),
    };
    expect(describeSignatureMismatch(declared, IRIS_GRAPH)).toEqual([
      'input `features` is declared but the model has no input of that name (it has `input`)',
      "the model's input `input` is missing from the declared signature",
      "the model's output `probabilities` is missing from the declared signature",
    ]);
  });

  it('describes count disagreements when names cannot pair entries', () => {
    const declared: ModelSignature = {
      inputs: tensors({ dtype: 'float32', shape: [-1, 4] }, { dtype: 'float32', shape: [-1, 4] }),
      outputs: undefined,
    };
    expect(describeSignatureMismatch(declared, IRIS_GRAPH)).toEqual(['declared 2 inputs, the model has 1 (`input`)']);
  });

  it('skips rank checks against an unknown graph rank and dtype checks against non-tensor values', () => {
    const graph: ModelSignature = {
      inputs: tensors({ name: 'input', dtype: 'float32', shape: [] }),
      outputs: tensors({ name: 'label', dtype: 'int64', shape: [-1] }, { name: 'probabilities', dtype: 'object', shape: [] }),
    };
    expect(describeSignatureMismatch(IRIS_GRAPH, graph)).toEqual([]);
  });

  it('checks a column signature the way MLflow feeds columns to tensors', () => {
    const columns = (...types: string[]): ModelSignature => ({
      inputs: { kind: 'columns', specs: types.map((type, i) => ({ name: `c${i}`, type, required: true })) },
      outputs: undefined,
    });
    // Four doubles feed the [-1, 4] float32 input: mlflow.onnx casts float64 to float32.
    expect(describeSignatureMismatch(columns('double', 'double', 'double', 'double'), IRIS_GRAPH)).toEqual([]);
    expect(describeSignatureMismatch(columns('double', 'double', 'double'), IRIS_GRAPH)).toEqual([
      'input `input`: declared 3 columns, the model takes 4 (shape [-1, 4])',
    ]);
    expect(describeSignatureMismatch(columns('double', 'string', 'double', 'double'), IRIS_GRAPH)).toEqual([
      "input `c1`: a string column cannot feed the model's float32 input `input`",
    ]);
    const twoInputs: ModelSignature = {
      inputs: tensors({ name: 'age', dtype: 'int64', shape: [-1] }, { name: 'income', dtype: 'float32', shape: [-1] }),
      outputs: undefined,
    };
    const named: ModelSignature = {
      inputs: {
        kind: 'columns',
        specs: [
          { name: 'age', type: 'long', required: true },
          { name: 'salary', type: 'double', required: true },
        ],
      },
      outputs: undefined,
    };
    expect(describeSignatureMismatch(named, twoInputs)).toEqual([
      'input `salary` is declared but the model has no input of that name (it has `age`, `income`)',
      "the model's input `income` is missing from the declared signature",
    ]);
  });

  it('compares column signatures by name and type', () => {
    const a: ModelSignature = { inputs: { kind: 'columns', specs: [{ name: 'x', type: 'double', required: true }] }, outputs: undefined };
    const b: ModelSignature = { inputs: { kind: 'columns', specs: [{ name: 'x', type: 'long', required: true }] }, outputs: undefined };
    expect(describeSignatureMismatch(a, b)).toEqual(['input `x`: declared type double, the model has long']);
    expect(describeSignatureMismatch(IRIS_GRAPH, a)).toEqual(["the inputs are declared as tensors, the model's are columns"]);
  });
});
