import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { externalDataReferences } from './onnx-external-data.js';
import { graphSignatureFromMetadata, loadCheck, signatureFromOnnx, type OnnxModelRuntime } from './onnx-signature.js';
import { onnxruntimeNode } from '../../../adapters/onnx/onnxruntime-node-runtime.js';
import { readFixture } from './test-support/package-files.js';

const IRIS_GRAPH = {
  inputs: [{ name: 'input', dtype: 'float32', shape: [-1, 4] }],
  outputs: [
    { name: 'label', dtype: 'int64', shape: [-1] },
    { name: 'probabilities', dtype: 'float32', shape: [-1, 3] },
  ],
};

async function rejection(promise: Promise<unknown>): Promise<CapstanError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CapstanError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('signatureFromOnnx (onnxruntime-node)', () => {
  it('reads the iris model: names, numpy dtypes, symbolic batch as -1', async () => {
    const bytes = await readFixture('iris-onnx', 'model.onnx');
    expect(await signatureFromOnnx(bytes, onnxruntimeNode)).toEqual(IRIS_GRAPH);
  });

  it('leaves out graph inputs that are initializers (IR version 3 exporters)', async () => {
    const bytes = await readFixture('legacy-initializer-inputs', 'model.onnx');
    const { inputs } = await signatureFromOnnx(bytes, onnxruntimeNode);
    expect(inputs).toEqual(IRIS_GRAPH.inputs);
  });

  it('rejects a model file that does not load, saying why', async () => {
    const bytes = await readFixture('broken-onnx', 'model.onnx');
    const err = await rejection(signatureFromOnnx(bytes, onnxruntimeNode));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toBe('The model file does not load in onnxruntime: Load model from model.onnx failed:Protobuf parsing failed.');
    await expect(loadCheck(bytes, onnxruntimeNode)).rejects.toThrow(/does not load in onnxruntime/);
    await expect(loadCheck(new TextEncoder().encode('not a model'), onnxruntimeNode)).rejects.toThrow(/does not load in onnxruntime/);
  });

  it('passes the load check for a good model', async () => {
    await expect(loadCheck(await readFixture('iris-onnx', 'model.onnx'), onnxruntimeNode)).resolves.toBeUndefined();
  });

  it('loads a model whose weights are external data only when given the data file', async () => {
    const model = await readFixture('iris-onnx-external-data', 'model.onnx');
    const weights = await readFixture('iris-onnx-external-data', 'weights.bin');
    expect(await signatureFromOnnx(model, onnxruntimeNode, [{ path: 'weights.bin', data: weights }])).toEqual(IRIS_GRAPH);
    // Without it the model does not load, even with a weights.bin in the working directory, which
    // is where onnxruntime would look for a model given as bytes.
    const cwd = process.cwd();
    const scratch = await mkdtemp(join(tmpdir(), 'capstan-cwd-'));
    try {
      await writeFile(join(scratch, 'weights.bin'), weights);
      process.chdir(scratch);
      const err = await rejection(signatureFromOnnx(model, onnxruntimeNode));
      expect(err.message).toMatch(/^The model file does not load in onnxruntime: .*weights\.bin/);
    } finally {
      process.chdir(cwd);
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('refuses external data paths that leave the model folder', async () => {
    const model = await readFixture('iris-onnx-external-data', 'model.onnx');
    const err = await rejection(signatureFromOnnx(model, onnxruntimeNode, [{ path: '../weights.bin', data: new Uint8Array(60) }]));
    expect(err.message).toMatch(/not a file beside the model/);
  });
});

describe('graphSignatureFromMetadata', () => {
  it('maps onnxruntime types to NumPy names and unknown dimensions to -1', () => {
    expect(
      graphSignatureFromMetadata({
        inputs: [
          { name: 'text', isTensor: true, type: 'string', shape: ['batch'] },
          { name: 'mask', isTensor: true, type: 'bool', shape: ['', 7] },
          { name: 'half', isTensor: true, type: 'float16', shape: [] },
          { name: 'wide', isTensor: true, type: 'float64', shape: [2, 3] },
        ],
        outputs: [
          { name: 'label', isTensor: true, type: 'int64', shape: [-1] },
          { name: 'probabilities', isTensor: false },
        ],
      }),
    ).toEqual({
      inputs: [
        { name: 'text', dtype: 'str', shape: [-1] },
        { name: 'mask', dtype: 'bool', shape: [-1, 7] },
        { name: 'half', dtype: 'float16', shape: [] },
        { name: 'wide', dtype: 'float64', shape: [2, 3] },
      ],
      outputs: [
        { name: 'label', dtype: 'int64', shape: [-1] },
        { name: 'probabilities', dtype: 'object', shape: [] },
      ],
    });
  });

  it('reports a runtime failure that is not an Error as text', async () => {
    const runtime: OnnxModelRuntime = { describe: () => Promise.reject('out of memory') };
    await expect(signatureFromOnnx(new Uint8Array(1), runtime)).rejects.toThrow('The model file does not load in onnxruntime: out of memory');
  });
});

describe('externalDataReferences', () => {
  it('finds the tensors mlflow.onnx saves as external data', async () => {
    const model = await readFixture('iris-onnx-external-data', 'model.onnx');
    expect(externalDataReferences(model)).toEqual([
      { tensor: 'coef', location: 'weights.bin' },
      { tensor: 'intercept', location: 'weights.bin' },
    ]);
  });

  it('finds none in a self-contained model', async () => {
    expect(externalDataReferences(await readFixture('iris-onnx', 'model.onnx'))).toEqual([]);
  });

  it('throws on bytes that are not a ModelProto', async () => {
    expect(() => externalDataReferences(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0x0f]))).toThrow();
  });
});
