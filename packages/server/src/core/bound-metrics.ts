import type { Metric, Registry } from 'prom-client';

/**
 * What prom-client's registry reads from a metric at scrape time (its typings name the type with an
 * enum, while at run time, and here, it is the exposition format's word).
 */
interface ScrapedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
}

/**
 * A counter and a histogram for the inference path, exposed through a prom-client registry like
 * any other metric. prom-client validates and hashes the label set on every `inc`/`observe`, even
 * through a bound child (`metric.labels(...)`); with seven recordings per request that was tens of
 * microseconds and much of the garbage. Here label values are bound once (`bind`) and each
 * recording is an array update; the text is built only when Prometheus scrapes.
 */
abstract class BoundMetric<S> {
  readonly aggregator = 'sum' as const;
  readonly #series = new Map<string, { labels: Record<string, string>; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registers: readonly Registry[],
  ) {
    // The registry only asks a metric for name, get() and reset(): what this class provides.
    for (const registry of registers) registry.registerMetric(this as unknown as Metric);
  }

  protected state(labels: Record<string, string>, create: () => S): S {
    const key = this.#key(labels);
    let entry = this.#series.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, state: create() };
      this.#series.set(key, entry);
    }
    return entry.state;
  }

  /** Drops a series, so a dashboard stops showing it frozen at its last value. */
  remove(labels: Record<string, string>): void {
    this.#series.delete(this.#key(labels));
  }

  reset(): void {
    this.#series.clear();
  }

  protected series(): IterableIterator<{ labels: Record<string, string>; state: S }> {
    return this.#series.values();
  }

  #key(labels: Record<string, string>): string {
    return this.labelNames.map((name) => {
      const value = labels[name];
      if (value === undefined) throw new Error(`${this.name}: label ${name} is missing`);
      return value;
    }).join('\u0000');
  }
}

export class BoundCounter extends BoundMetric<{ value: number }> {
  readonly type = 'counter' as const;

  bind(labels: Record<string, string>): { inc(by?: number): void } {
    const state = this.state(labels, () => ({ value: 0 }));
    return { inc: (by = 1) => void (state.value += by) };
  }

  async get(): Promise<ScrapedMetric> {
    const values = [...this.series()].map(({ labels, state }) => ({ labels, value: state.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

interface HistogramState {
  /** Per bucket (not cumulative), the last one for values above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

export class BoundHistogram extends BoundMetric<HistogramState> {
  readonly type = 'histogram' as const;

  constructor(name: string, help: string, labelNames: readonly string[], readonly buckets: readonly number[], registers: readonly Registry[]) {
    super(name, help, labelNames, registers);
  }

  bind(labels: Record<string, string>): { observe(value: number): void } {
    const bounds = this.buckets;
    const state = this.state(labels, () => ({ counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 }));
    return {
      observe(value: number) {
        let i = 0;
        while (i < bounds.length && value > bounds[i]!) i++;
        state.counts[i]! += 1;
        state.sum += value;
        state.count += 1;
      },
    };
  }

  async get(): Promise<ScrapedMetric> {
    const values: ScrapedMetric['values'] = [];
    for (const { labels, state } of this.series()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += state.counts[i]!;
        values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: state.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: state.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: state.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
