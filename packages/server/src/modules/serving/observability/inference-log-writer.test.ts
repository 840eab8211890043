import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { InferenceRecord } from './inference-record.js';
import { InferenceLogWriter, type Every, type InferenceLogSink, type InferenceLogWriterOptions } from './inference-log-writer.js';
import { isSampled } from './sample-request.js';
import { createServingMetrics } from './serving-metrics.js';

function record(requestId: string, deployment = 'fraud'): InferenceRecord {
  return { requestId, deployment, modelName: 'fraud-model', version: '3', at: 1_700_000_000_000, latencyMs: 1.5, inputs: { amount: [12.5] }, outputs: { score: [0.9] }, rows: 1 };
}

type SinkMode = 'ok' | 'reject' | 'throw' | 'hang';

/** A sink that does what the test says and tells it when a write starts. */
class ScriptedSink implements InferenceLogSink {
  mode: SinkMode = 'ok';
  readonly batches: (readonly InferenceRecord[])[] = [];
  private waiting: (() => void)[] = [];

  write(records: readonly InferenceRecord[]): Promise<void> {
    this.batches.push(records);
    for (const wake of this.waiting.splice(0)) wake();
    if (this.mode === 'throw') throw new Error('sink broke before its first await');
    if (this.mode === 'reject') return Promise.reject(new Error('database unavailable'));
    if (this.mode === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }

  /** Resolves once the sink has been asked to write `count` batches in all. */
  async writesStarted(count: number): Promise<void> {
    while (this.batches.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** A flush timer the test fires by hand. */
function manualTimer() {
  const timer = { fire: () => undefined as void, stopped: false };
  const every: Every = (fn) => {
    timer.fire = fn;
    return () => {
      timer.stopped = true;
    };
  };
  return { timer, every };
}

function writer(options: Partial<InferenceLogWriterOptions> = {}) {
  const sink = new ScriptedSink();
  const { timer, every } = manualTimer();
  const registry = new Registry();
  const warnings: unknown[] = [];
  const log = new InferenceLogWriter({
    sink,
    sampleRate: 1,
    every,
    metrics: createServingMetrics(registry),
    logger: { warn: (obj: unknown) => void warnings.push(obj) },
    ...options,
  });
  return { log, sink, timer, registry, warnings };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InferenceLogWriter', () => {
  it('takes records synchronously and writes a full batch on a later turn, never inside record()', async () => {
    const { log, sink } = writer({ batchSize: 2 });
    expect(log.record(record('a'))).toBe('buffered');
    expect(log.record(record('b'))).toBe('buffered');
    expect(sink.batches).toHaveLength(0);
    await sink.writesStarted(1);
    expect(sink.batches[0]?.map((r) => r.requestId)).toEqual(['a', 'b']);
  });

  it('writes a partial batch when the timer fires', async () => {
    const { log, sink, timer } = writer({ batchSize: 10 });
    log.record(record('a'));
    log.record(record('b'));
    await nextTurn();
    expect(sink.batches).toHaveLength(0);
    timer.fire();
    await sink.writesStarted(1);
    expect(sink.batches[0]).toHaveLength(2);
  });

  it('writes in batches of at most batchSize', async () => {
    const { log, sink } = writer({ batchSize: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) log.record(record(id));
    await log.flush();
    expect(sink.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(log.stats()).toMatchObject({ buffered: 0, written: 7 });
  });

  it('samples by request id, so the same requests are kept every time', async () => {
    const { log, sink } = writer({ sampleRate: 0.5 });
    const ids = Array.from({ length: 200 }, (_, i) => `req-${i}`);
    const outcomes = ids.map((id) => log.record(record(id)));
    await log.flush();
    const kept = ids.filter((id) => isSampled(id, 0.5));
    expect(kept.length).toBeGreaterThan(50);
    expect(kept.length).toBeLessThan(150);
    expect(outcomes).toEqual(ids.map((id) => (kept.includes(id) ? 'buffered' : 'sampled_out')));
    expect(sink.batches.flat().map((r) => r.requestId)).toEqual(kept);
    expect(log.stats().sampledOut).toBe(ids.length - kept.length);
    expect(ids.map((id) => log.sampled('fraud', id))).toEqual(ids.map((id) => kept.includes(id)));
  });

  it('logs at most maxRecordsPerSecond records per deployment, refilling as time passes', () => {
    let now = 0;
    const { log } = writer({ sampleRate: 1, maxRecordsPerSecond: 3, now: () => now });
    expect(['a', 'b', 'c', 'd'].map((id) => log.sampled('fraud', id))).toEqual([true, true, true, false]);
    expect(log.sampled('churn', 'e')).toBe(true);
    now = 500;
    expect(['f', 'g', 'h'].map((id) => log.sampled('fraud', id))).toEqual([true, false, false]);
    now = 5000;
    expect(['i', 'j', 'k', 'l'].map((id) => log.sampled('fraud', id))).toEqual([true, true, true, false]);
    expect(log.stats().dropped.rate_limited).toBe(4);
  });

  it('takes a sample rate per deployment', async () => {
    const { log, sink } = writer({ sampleRate: (deployment) => (deployment === 'fraud' ? 1 : 0) });
    expect(log.record(record('a', 'fraud'))).toBe('buffered');
    expect(log.record(record('b', 'churn'))).toBe('sampled_out');
    await log.flush();
    expect(sink.batches.flat().map((r) => r.deployment)).toEqual(['fraud']);
  });

  it('drops and counts records while a slow sink lets the buffer fill, and the request side never waits', async () => {
    const { log, sink, registry } = writer({ batchSize: 2, capacity: 4 });
    sink.mode = 'hang';
    log.record(record('a'));
    log.record(record('b'));
    await sink.writesStarted(1);
    const outcomes = ['c', 'd', 'e', 'f', 'g', 'h'].map((id) => log.record(record(id)));
    expect(outcomes).toEqual(['buffered', 'buffered', 'buffered', 'buffered', 'dropped', 'dropped']);
    expect(log.stats()).toMatchObject({ buffered: 4, written: 0, dropped: { buffer_full: 2, sink_error: 0, closed: 0, rate_limited: 0 } });
    expect(await registry.metrics()).toContain('capstan_serving_inference_log_dropped_total{deployment="fraud",reason="buffer_full"} 2');

    // The stuck write is still in flight: close gives up at its deadline and counts what it left.
    await log.close(20);
    expect(log.stats()).toMatchObject({ buffered: 0, dropped: { buffer_full: 2, closed: 4 } });
    expect(await registry.metrics()).toContain('capstan_serving_inference_log_dropped_total{deployment="fraud",reason="closed"} 4');
  });

  it.each(['reject', 'throw'] as const)('drops and counts a batch the sink fails to write (%s), then carries on', async (mode) => {
    const { log, sink, registry, warnings } = writer({ batchSize: 3 });
    sink.mode = mode;
    for (const id of ['a', 'b', 'c']) expect(log.record(record(id))).toBe('buffered');
    await log.flush();
    expect(log.stats()).toMatchObject({ written: 0, dropped: { sink_error: 3 } });
    expect(warnings).toHaveLength(1);
    expect(await registry.metrics()).toContain('capstan_serving_inference_log_dropped_total{deployment="fraud",reason="sink_error"} 3');

    sink.mode = 'ok';
    for (const id of ['d', 'e']) log.record(record(id));
    await log.flush();
    expect(log.stats()).toMatchObject({ written: 2, dropped: { sink_error: 3 } });
  });

  it('writes what is buffered on close, stops its timer and refuses records afterwards', async () => {
    const { log, sink, timer } = writer({ batchSize: 10 });
    for (const id of ['a', 'b', 'c']) log.record(record(id));
    await log.close();
    expect(sink.batches.flat()).toHaveLength(3);
    expect(timer.stopped).toBe(true);
    expect(log.record(record('late'))).toBe('dropped');
    expect(log.stats()).toMatchObject({ written: 3, dropped: { closed: 1 } });
  });

  it('refuses a sample rate outside 0..1', () => {
    expect(() => writer({ sampleRate: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => writer({ sampleRate: Number.NaN })).toThrow(/between 0 and 1/);
  });
});
