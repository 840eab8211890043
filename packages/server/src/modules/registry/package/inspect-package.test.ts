import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { inspectModelPackage } from './inspect-package.js';
import { parseMlModel, serializeMlModel } from './mlmodel.js';
import type { OnnxModelRuntime } from './onnx-signature.js';
import type { ModelSignature } from './signature.js';
import { onnxruntimeNode } from '../../../adapters/onnx/onnxruntime-node-runtime.js';
import { fixtureFiles, fixturePath, folderPackage, memoryPackage } from './test-support/package-files.js';

const IRIS_GRAPH: ModelSignature = {
  inputs: { kind: 'tensor', specs: [{ name: 'input', dtype: 'float32', shape: [-1, 4] }] },
  outputs: {
    kind: 'tensor',
    specs: [
      { name: 'label', dtype: 'int64', shape: [-1] },
      { name: 'probabilities', dtype: 'float32', shape: [-1, 3] },
    ],
  },
};

/** A runtime for packages that must never reach it. */
const noRuntime: OnnxModelRuntime = { describe: () => Promise.reject(new Error('the runtime was not expected to be called')) };

async function rejection(promise: Promise<unknown>): Promise<CapstanError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CapstanError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** The iris package with its MLmodel edited. */
async function irisWith(edit: (mlmodel: Record<string, unknown>) => void, extra: Record<string, string> = {}) {
  const files = await fixtureFiles('iris-onnx');
  const mlmodel = parseMlModel(new TextDecoder().decode(files.MLmodel as Uint8Array));
  edit(mlmodel);
  return memoryPackage({ ...files, MLmodel: serializeMlModel(mlmodel), ...extra });
}

describe('inspectModelPackage on the fixtures', () => {
  it('accepts the iris package: its declared signature matches the graph', async () => {
    const result = await inspectModelPackage(folderPackage(fixturePath('iris-onnx')), onnxruntimeNode);
    expect(result.flavor).toBe('onnx');
    expect(result.problems).toEqual([]);
    expect(result.signature).toEqual(IRIS_GRAPH);
    expect(result.mlmodel.flavors.python_function?.loader_module).toBe('mlflow.onnx');
  });

  it('derives the signature from the graph when the MLmodel declares none', async () => {
    const result = await inspectModelPackage(folderPackage(fixturePath('iris-onnx-no-signature')), onnxruntimeNode);
    expect(result.mlmodel.signature).toBeUndefined();
    expect(result.signature).toEqual(IRIS_GRAPH);
    expect(result.problems).toEqual([]);
  });

  it('rejects the package whose model file is broken', async () => {
    const err = await rejection(inspectModelPackage(folderPackage(fixturePath('broken-onnx')), onnxruntimeNode));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(/^The model file does not load in onnxruntime: .*Protobuf parsing failed/);
  });

  it('loads weights kept as external data beside model.onnx, as mlflow.onnx saves them by default', async () => {
    const result = await inspectModelPackage(folderPackage(fixturePath('iris-onnx-external-data')), onnxruntimeNode);
    expect(result.problems).toEqual([]);
    expect(result.signature).toEqual(IRIS_GRAPH);
  });
});

describe('inspectModelPackage problems', () => {
  it('lists where a declared signature contradicts the graph', async () => {
    const pkg = await irisWith((m) => {
      m.signature = {
        inputs: '[{"name": "input", "type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 5]}}]',
        outputs: '[{"name": "label", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]',
        params: null,
      };
    });
    const result = await inspectModelPackage(pkg, onnxruntimeNode);
    expect(result.signature?.inputs).toEqual({ kind: 'tensor', specs: [{ name: 'input', dtype: 'float64', shape: [-1, 5] }] });
    expect(result.problems).toEqual([
      'The MLmodel signature does not match the model: input `input`: declared dtype float64, the model has float32.',
      "The MLmodel signature does not match the model: input `input`: declared size 5 for dimension 1, the model has 4 (declared shape [-1, 5], the model's [-1, 4]).",
      "The MLmodel signature does not match the model: the model's output `probabilities` is missing from the declared signature.",
      // The saved example has 4 columns, and the (wrong) declared signature asks for 5 float64s.
      'The input example `input_example.json` does not fit the signature: the array has shape [5, 4]; the signature declares [-1, 5].',
    ]);
  });

  it('lists a malformed declared signature and falls back to the graph', async () => {
    const pkg = await irisWith((m) => {
      m.signature = { inputs: '[{"type": "tensor"', outputs: null, params: null };
    });
    const result = await inspectModelPackage(pkg, onnxruntimeNode);
    expect(result.problems).toEqual([expect.stringMatching(/^The MLmodel signature's inputs is not valid JSON/)]);
    expect(result.signature).toEqual(IRIS_GRAPH);
  });

  it('checks the input example against the signature', async () => {
    const example = (inputs: unknown) => ({ 'input_example.json': JSON.stringify({ inputs }) });
    const check = async (inputs: unknown) => (await inspectModelPackage(await irisWith(() => {}, example(inputs)), onnxruntimeNode)).problems;
    expect(await check([[5.1, 3.5, 1.4, 0.2]])).toEqual([]);
    expect(await check({ input: [[5.1, 3.5, 1.4, 0.2]] })).toEqual([]);
    expect(await check([[5.1, 3.5, 1.4]])).toEqual([
      'The input example `input_example.json` does not fit the signature: the array has shape [1, 3]; the signature declares [-1, 4].',
    ]);
    expect(await check([5.1, 3.5, 1.4, 0.2])).toEqual([
      'The input example `input_example.json` does not fit the signature: the array has shape [4], rank 1; the signature declares rank 2 ([-1, 4]).',
    ]);
    expect(await check([[5.1, 3.5, 1.4, 0.2], [1, 2]])).toEqual([
      'The input example `input_example.json` does not fit the signature: the array is ragged (not every row has the same length).',
    ]);
    expect(await check([[5.1, 'wide', 1.4, 0.2]])).toEqual([
      'The input example `input_example.json` does not fit the signature: the array holds "wide", which is not a float32 value.',
    ]);
    expect(await check({ features: [[5.1, 3.5, 1.4, 0.2]] })).toEqual([
      'The input example `input_example.json` does not fit the signature: it has no array for input `input`.',
      'The input example `input_example.json` does not fit the signature: it has an array `features` for no declared input.',
    ]);
  });

  it('checks dataframe examples and reports an example file that is missing or not JSON', async () => {
    const frame = (data: unknown) =>
      irisWith(
        (m) => {
          m.saved_input_example_info = { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' };
        },
        { 'input_example.json': JSON.stringify(data) },
      );
    const problems = async (data: unknown) => (await inspectModelPackage(await frame(data), onnxruntimeNode)).problems;
    expect(await problems({ columns: ['a', 'b', 'c', 'd'], data: [[5.1, 3.5, 1.4, 0.2]] })).toEqual([]);
    expect(await problems({ columns: ['a', 'b'], data: [[5.1, 3.5]] })).toEqual([
      'The input example `input_example.json` does not fit the signature: the frame has shape [1, 2]; the signature declares [-1, 4].',
    ]);

    const missing = await irisWith((m) => {
      m.saved_input_example_info = { artifact_path: 'example.json', type: 'ndarray' };
    });
    expect((await inspectModelPackage(missing, onnxruntimeNode)).problems).toEqual([
      'The MLmodel names the input example `example.json`, which is not in the package.',
    ]);
    const notJson = await irisWith(() => {}, { 'input_example.json': '{"inputs": [' });
    expect((await inspectModelPackage(notJson, onnxruntimeNode)).problems).toEqual([
      expect.stringMatching(/^The input example `input_example.json` is not valid JSON/),
    ]);
  });

  it('checks column-signature examples of other flavors without loading anything', async () => {
    const mlmodel = [
      'flavors:',
      '  python_function: {loader_module: mlflow.sklearn, model_path: model.pkl}',
      '  sklearn: {pickled_model: model.pkl, serialization_format: cloudpickle}',
      'saved_input_example_info: {artifact_path: input_example.json, type: dataframe, pandas_orient: split}',
      'signature:',
      `  inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "city", "required": false}]'`,
      `  outputs: '[{"type": "long", "required": true}]'`,
      '',
    ].join('\n');
    const pkg = (example: unknown) => memoryPackage({ MLmodel: mlmodel, 'model.pkl': 'pickle', 'input_example.json': JSON.stringify(example) });
    const ok = await inspectModelPackage(pkg({ columns: ['x', 'city'], data: [[1.5, 'Oslo']] }), noRuntime);
    expect(ok.flavor).toBe('sklearn');
    expect(ok.problems).toEqual([]);
    expect(ok.signature?.inputs.kind).toBe('columns');
    expect((await inspectModelPackage(pkg({ columns: ['city'], data: [['Oslo']] }), noRuntime)).problems).toEqual([
      'The input example `input_example.json` does not fit the signature: it has no column for the required input `x`.',
    ]);
    expect((await inspectModelPackage(pkg({ data: [['1.5', 'Oslo']] }), noRuntime)).problems).toEqual([
      'The input example `input_example.json` does not fit the signature: row 0, column x: "1.5" is not a double.',
    ]);
  });
});

describe('inspectModelPackage rejections', () => {
  it('rejects a package without MLmodel, naming what it holds', async () => {
    const err = await rejection(inspectModelPackage(memoryPackage({ 'model.onnx': new Uint8Array(4) }), noRuntime));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toBe('The model package has no MLmodel file at its root (it holds model.onnx).');
  });

  it('rejects a malformed MLmodel', async () => {
    await expect(inspectModelPackage(memoryPackage({ MLmodel: 'artifact_path: model\n' }), noRuntime)).rejects.toThrow(/has no `flavors`/);
    await expect(inspectModelPackage(memoryPackage({ MLmodel: new Uint8Array([0xff, 0xfe]) }), noRuntime)).rejects.toThrow(
      /`MLmodel` is not UTF-8 text/,
    );
  });

  it('accepts other flavors on their declared signature, without a runtime', async () => {
    const result = await inspectModelPackage(
      memoryPackage({ MLmodel: 'flavors:\n  python_function: {loader_module: my_loader}\n' }),
      noRuntime,
    );
    expect(result).toMatchObject({ flavor: 'python_function', signature: undefined, problems: [] });
  });

  it('rejects an ONNX package whose model file is missing or outside the package', async () => {
    const files = await fixtureFiles('iris-onnx');
    const withoutModel = { ...files };
    delete withoutModel['model.onnx'];
    const err = await rejection(inspectModelPackage(memoryPackage(withoutModel), noRuntime));
    expect(err.message).toMatch(/^The MLmodel names the ONNX model file `model.onnx`, which is not in the package \(it holds MLmodel, conda.yaml/);

    const outside = await irisWith((m) => {
      (m.flavors as Record<string, Record<string, unknown>>).onnx = { data: '../other/model.onnx' };
    });
    await expect(inspectModelPackage(outside, noRuntime)).rejects.toThrow('The MLmodel `flavors.onnx.data` (../other/model.onnx) points outside the model package.');
  });

  it('rejects an ONNX package whose external data file is missing', async () => {
    const files = await fixtureFiles('iris-onnx-external-data');
    delete files['weights.bin'];
    const err = await rejection(inspectModelPackage(memoryPackage(files), noRuntime));
    expect(err.message).toBe('The model file keeps tensor `coef` in the external data file `weights.bin`, which is not in the package.');
  });

  it('reads the model file from a subfolder when flavors.onnx.data says so', async () => {
    const files = await fixtureFiles('iris-onnx-external-data');
    const moved: Record<string, Uint8Array | string> = { ...files, 'data/model.onnx': files['model.onnx'] as Uint8Array, 'data/weights.bin': files['weights.bin'] as Uint8Array };
    delete moved['model.onnx'];
    delete moved['weights.bin'];
    const mlmodel = parseMlModel(new TextDecoder().decode(files.MLmodel as Uint8Array));
    (mlmodel.flavors.onnx as Record<string, unknown>).data = 'data/model.onnx';
    const result = await inspectModelPackage(memoryPackage({ ...moved, MLmodel: serializeMlModel(mlmodel) }), onnxruntimeNode);
    expect(result.problems).toEqual([]);
    expect(result.signature).toEqual(IRIS_GRAPH);
  });
});
