import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { onnxruntimeNodeSessions } from '../../../adapters/onnx/onnxruntime-node-sessions.js';
import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import type { BatchInfo } from './inference-queue.js';
import { InferenceQueue } from './inference-queue.js';

const MODEL = new URL('../../../../../../fixtures/models/iris-onnx/model.onnx', import.meta.url);

/** Iris flowers (sepal length, sepal width, petal length, petal width), one request per entry. */
const REQUESTS: number[][][] = [
  [[5.1, 3.5, 1.4, 0.2]],
  [[6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]],
  [[4.9, 3.0, 1.4, 0.2]],
  [[6.3, 3.3, 6.0, 2.5], [5.5, 2.3, 4.0, 1.3], [5.0, 3.4, 1.5, 0.2]],
  [[7.7, 2.6, 6.9, 2.3]],
];

const input = (rows: number[][]): RuntimeTensor => ({ type: 'float32', dims: [rows.length, 4], data: Float32Array.from(rows.flat()) });

describe('InferenceQueue with onnxruntime-node', () => {
  it('gives batched requests the answers each gets alone from the iris model', async () => {
    const model = await onnxruntimeNodeSessions.load({ bytes: await readFile(MODEL), externalData: [] }, { intraOpThreads: 1 });
    try {
      const alone: Record<string, RuntimeTensor>[] = [];
      for (const rows of REQUESTS) alone.push(await model.run({ input: input(rows) }));

      const batches: BatchInfo[] = [];
      const queue = new InferenceQueue({
        run: (feeds, outputNames) => model.run(feeds, outputNames),
        // Exactly the 8 rows below: the batch is full with the last request and goes without waiting
        // out the delay, which is long so that no slow machine splits it.
        maxBatchSize: 8,
        maxQueueDelayMicros: 10_000_000,
        maxQueueSize: 16,
        maxConcurrentRuns: 1,
        onBatch: (info) => batches.push(info),
      });
      const batched = await Promise.all(REQUESTS.map((rows) => queue.submit({ input: input(rows) })));

      expect(batches.map(({ size, rows }) => ({ size, rows }))).toEqual([{ size: 5, rows: 8 }]);
      batched.forEach((outputs, i) => {
        const expected = alone[i];
        expect(outputs['label']).toEqual(expected['label']);
        expect(outputs['probabilities'].dims).toEqual(expected['probabilities'].dims);
        const probabilities = [...outputs['probabilities'].data].map(Number);
        [...expected['probabilities'].data].map(Number).forEach((p, j) => expect(probabilities[j]).toBeCloseTo(p, 6));
      });
    } finally {
      await model.release();
    }
  });
});
