import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BoundCounter, BoundHistogram } from './bound-metrics.js';

/** The exposition lines of one metric, its name replaced so two metrics' lines can be compared. */
async function lines(registry: Registry, name: string): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.startsWith(name)).map((l) => l.replace(name, 'm'));
}

describe('bound metrics', () => {
  it('expose exactly what prom-client exposes for the same observations', async () => {
    const registry = new Registry();
    const buckets = [0.001, 0.01, 0.1];
    const reference = new Histogram({ name: 'ref_seconds', help: 'h', labelNames: ['a', 'b'], buckets, registers: [registry] });
    const bound = new BoundHistogram('fast_seconds', 'h', ['a', 'b'], buckets, [registry]);
    const refCount = new Counter({ name: 'ref_total', help: 'c', labelNames: ['a'], registers: [registry] });
    const fastCount = new BoundCounter('fast_total', 'c', ['a'], [registry]);
    for (const [labels, value] of [[{ a: 'x', b: '1' }, 0.0005], [{ a: 'x', b: '1' }, 0.001], [{ a: 'x', b: '1' }, 0.05], [{ a: 'y', b: '2' }, 7]] as const) {
      reference.observe(labels, value);
      bound.bind(labels).observe(value);
      refCount.inc({ a: labels.a }, 2);
      fastCount.bind({ a: labels.a }).inc(2);
    }
    expect(await lines(registry, 'fast_seconds')).toEqual(await lines(registry, 'ref_seconds'));
    expect(await lines(registry, 'fast_total')).toEqual(await lines(registry, 'ref_total'));
    expect(await lines(registry, 'fast_seconds_bucket{le="0.001",a="x",b="1"}')).toEqual(['m 2']);
  });

  it('shares a series between bindings of the same labels, and forgets removed ones', async () => {
    const registry = new Registry();
    const counter = new BoundCounter('c_total', 'c', ['d'], [registry]);
    counter.bind({ d: 'x' }).inc();
    counter.bind({ d: 'x' }).inc();
    counter.bind({ d: 'y' }).inc();
    expect(await lines(registry, 'c_total{')).toEqual(['md="x"} 2', 'md="y"} 1']);
    counter.remove({ d: 'x' });
    expect(await lines(registry, 'c_total{')).toEqual(['md="y"} 1']);
    registry.resetMetrics();
    expect(await lines(registry, 'c_total{')).toEqual([]);
    expect(() => counter.bind({})).toThrow(/label d is missing/);
  });
});
