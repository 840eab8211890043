import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelSource, RuntimeTensor } from '../../ports/inference-runtime.js';
import { onnxruntimeNodeSessions } from './onnxruntime-node-sessions.js';

const FIXTURES = fileURLToPath(new URL('../../../../../fixtures/models/', import.meta.url));

async function fixture(name: string, externalData: readonly string[] = []): Promise<ModelSource> {
  return {
    bytes: await readFile(join(FIXTURES, name, 'model.onnx')),
    externalData: await Promise.all(externalData.map(async (path) => ({ path, data: await readFile(join(FIXTURES, name, path)) }))),
  };
}

const ROWS = [
  [4.4, 3.0, 1.3, 0.2],
  [6.1, 3.0, 4.9, 1.8],
  [4.9, 2.4, 3.3, 1.0],
];
const batch: RuntimeTensor = { type: 'float32', dims: [3, 4], data: Float32Array.from(ROWS.flat()) };

function expectIrisOutputs(out: Record<string, RuntimeTensor>): void {
  const probabilities = out['probabilities'];
  const label = out['label'];
  expect(probabilities?.type).toBe('float32');
  expect(probabilities?.dims).toEqual([3, 3]);
  if (probabilities?.type !== 'float32') throw new Error('unreachable');
  for (let row = 0; row < 3; row++) {
    const sum = probabilities.data.slice(row * 3, row * 3 + 3).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
  }
  expect(label?.type).toBe('int64');
  expect(label?.dims).toEqual([3]);
  expect(label?.data).toBeInstanceOf(BigInt64Array);
  // Label i is the class with the highest probability in row i.
  if (label?.type !== 'int64') throw new Error('unreachable');
  for (let row = 0; row < 3; row++) {
    const p = Array.from(probabilities.data.slice(row * 3, row * 3 + 3));
    expect(label.data[row]).toBe(BigInt(p.indexOf(Math.max(...p))));
  }
}

describe('onnxruntime-node sessions', () => {
  it('loads the iris model, describes it, runs a batch of three rows and releases it', async () => {
    // The private folder is gone by the time load() resolves, so every run below works without files.
    const model = await onnxruntimeNodeSessions.load(await fixture('iris-onnx'), {});
    expect(model.inputs).toEqual([{ name: 'input', type: 'float32', shape: ['N', 4] }]);
    expect(model.outputs.map((o) => [o.name, o.type])).toEqual(
      expect.arrayContaining([['probabilities', 'float32'], ['label', 'int64']]),
    );
    const out = await model.run({ input: batch });
    expectIrisOutputs(out);
    // The input is handed to the runtime as is, and not altered by it.
    expect(Array.from(batch.data)).toEqual(Array.from(Float32Array.from(ROWS.flat())));
    await model.release();
    await model.release();
    await expect(model.run({ input: batch })).rejects.toThrow(/released/);
  });

  it('computes only the outputs asked for', async () => {
    const model = await onnxruntimeNodeSessions.load(await fixture('iris-onnx'), {});
    try {
      const out = await model.run({ input: batch }, ['label']);
      expect(Object.keys(out)).toEqual(['label']);
    } finally {
      await model.release();
    }
  });

  it('accepts every session option', async () => {
    const model = await onnxruntimeNodeSessions.load(await fixture('iris-onnx'), {
      intraOpThreads: 1,
      interOpThreads: 1,
      graphOptimizationLevel: 'disabled',
      executionMode: 'parallel',
    });
    try {
      expectIrisOutputs(await model.run({ input: batch }));
    } finally {
      await model.release();
    }
    for (const level of ['basic', 'extended', 'all'] as const) {
      const m = await onnxruntimeNodeSessions.load(await fixture('iris-onnx'), { graphOptimizationLevel: level, executionMode: 'sequential' });
      await m.release();
    }
  });

  it('keeps running a model with external data after its private folder is removed', async () => {
    const model = await onnxruntimeNodeSessions.load(await fixture('iris-onnx-external-data', ['weights.bin']), {});
    try {
      expectIrisOutputs(await model.run({ input: batch }));
    } finally {
      await model.release();
    }
  });

  it('refuses external data paths outside the model folder', async () => {
    const source = await fixture('iris-onnx');
    for (const path of ['../weights.bin', '/etc/passwd', 'model.onnx', '.']) {
      await expect(
        onnxruntimeNodeSessions.load({ ...source, externalData: [{ path, data: new Uint8Array(1) }] }, {}),
      ).rejects.toThrow(/not a file beside the model/);
    }
  });

  it('rejects a broken model clearly, without naming the private folder', async () => {
    const err: unknown = await onnxruntimeNodeSessions.load(await fixture('broken-onnx'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = err instanceof Error ? err.message : '';
    expect(message).toMatch(/^cannot load the model: /);
    expect(message).not.toContain('capstan-serve-');
  });

  it('rejects a run with a feed the model does not have', async () => {
    const model = await onnxruntimeNodeSessions.load(await fixture('iris-onnx'), {});
    try {
      await expect(model.run({ nope: batch })).rejects.toThrow();
    } finally {
      await model.release();
    }
  });
});
