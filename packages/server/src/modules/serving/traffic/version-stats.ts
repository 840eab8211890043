import { latencyPercentiles } from './quantile.js';
import type { RandomSource } from './random-source.js';
import { createReservoir } from './reservoir.js';

export type RequestOutcome = 'ok' | 'error';

/** What one version did during an analysis window; plain JSON. */
export interface VersionStatsSnapshot {
  /** Exact counts since the last reset. */
  readonly requests: number;
  readonly errors: number;
  /** A uniform sample (at most the capacity) of request latencies in seconds, errors included. */
  readonly latencySamples: number[];
  readonly latencyP50: number | null;
  readonly latencyP99: number | null;
  /** How many predictions were recorded; `predictionSamples` is a uniform sample of them. */
  readonly predictions: number;
  readonly predictionSamples: number[];
}

export interface VersionStats {
  /**
   * One answered request: on the request path, so it allocates nothing. Latencies of errors count
   * too (a timeout is slow, and a p99 without it would flatter the version). A prediction that
   * is not a finite number is left out rather than poisoning the distribution.
   */
  record(outcome: RequestOutcome, latencySeconds: number, prediction?: number): void;
  snapshot(): VersionStatsSnapshot;
  /** Starts a new window (a new canary step). */
  reset(): void;
}

export interface VersionStatsOptions {
  /** Most latencies and most predictions kept. Default 2,000 each (32 KB per version). */
  readonly capacity?: number;
  /** Default `Math.random`. */
  readonly random?: RandomSource;
}

export const DEFAULT_SAMPLE_CAPACITY = 2_000;

/** The analysis window of one served version, shared by canary analysis and shadow comparison. */
export function createVersionStats(options: VersionStatsOptions = {}): VersionStats {
  const capacity = options.capacity ?? DEFAULT_SAMPLE_CAPACITY;
  const latencies = createReservoir(capacity, options.random);
  const predictions = createReservoir(capacity, options.random);
  let requests = 0;
  let errors = 0;
  return {
    record(outcome, latencySeconds, prediction) {
      requests++;
      if (outcome === 'error') errors++;
      if (Number.isFinite(latencySeconds) && latencySeconds >= 0) latencies.add(latencySeconds);
      if (prediction !== undefined && Number.isFinite(prediction)) predictions.add(prediction);
    },
    snapshot() {
      const latencySamples = latencies.values();
      const { p50, p99 } = latencyPercentiles(latencySamples);
      return {
        requests,
        errors,
        latencySamples,
        latencyP50: p50,
        latencyP99: p99,
        predictions: predictions.seen,
        predictionSamples: predictions.values(),
      };
    },
    reset() {
      requests = 0;
      errors = 0;
      latencies.reset();
      predictions.reset();
    },
  };
}
