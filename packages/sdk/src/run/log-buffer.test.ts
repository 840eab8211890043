import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchItems } from './batch-chunker.js';
import { LogBuffer } from './log-buffer.js';

const metric = (step: number) => ({ key: 'loss', value: step, timestamp: 0, step });

function recordingBuffer(flushIntervalMs = 0, fail?: (batch: BatchItems) => Error | undefined) {
  const sent: BatchItems[] = [];
  const buffer = new LogBuffer({
    flushIntervalMs,
    send: async (batch) => {
      await Promise.resolve();
      const error = fail?.(batch);
      if (error) throw error;
      sent.push(batch);
    },
  });
  return { buffer, sent };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LogBuffer', () => {
  it('sends nothing until flushed when no timer is set', async () => {
    const { buffer, sent } = recordingBuffer();
    buffer.addParam({ key: 'lr', value: '0.1' });
    buffer.addMetric(metric(0));
    expect(sent).toHaveLength(0);
    await buffer.flush();
    expect(sent).toEqual([{ params: [{ key: 'lr', value: '0.1' }], tags: [], metrics: [metric(0)] }]);
    expect(buffer.size).toBe(0);
  });

  it('drops an exact repeat of a pending param but keeps a conflicting one', async () => {
    const { buffer, sent } = recordingBuffer();
    buffer.addParam({ key: 'lr', value: '0.1' });
    buffer.addParam({ key: 'lr', value: '0.1' });
    buffer.addParam({ key: 'lr', value: '0.2' });
    await buffer.flush();
    expect(sent[0]!.params).toEqual([
      { key: 'lr', value: '0.1' },
      { key: 'lr', value: '0.2' },
    ]);
  });

  it('sends a full request as soon as one has piled up', async () => {
    const { buffer, sent } = recordingBuffer();
    for (let i = 0; i < 1000; i++) buffer.addMetric(metric(i));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.metrics).toHaveLength(1000);
    expect(buffer.size).toBe(0);
  });

  it('sends in the background after the interval', async () => {
    vi.useFakeTimers();
    const { buffer, sent } = recordingBuffer(500);
    buffer.addTag({ key: 'k', value: 'v' });
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
  });

  it('keeps requests in order and surfaces the first failure on flush', async () => {
    const { buffer, sent } = recordingBuffer(0, (batch) =>
      batch.params.length > 0 ? new Error('bad param') : undefined,
    );
    for (let i = 0; i < 1000; i++) buffer.addMetric(metric(i));
    buffer.addParam({ key: 'lr', value: 'x' });
    buffer.addMetric(metric(1000));
    await expect(buffer.flush()).rejects.toThrow('bad param');
    expect(sent.flatMap((b) => b.metrics.map((m) => m.step))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // The failure is reported once; the buffer keeps working afterwards.
    buffer.addMetric(metric(1001));
    await expect(buffer.flush()).resolves.toBeUndefined();
    expect(sent.at(-1)!.metrics).toEqual([metric(1001)]);
  });
});
