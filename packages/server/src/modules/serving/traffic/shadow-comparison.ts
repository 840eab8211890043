import { ksTwoSample } from './kolmogorov-smirnov.js';
import type { RandomSource } from './random-source.js';
import { createVersionStats } from './version-stats.js';

/** A model's answer to compare: a class label (string) or a number (a score, a numeric label). */
export type ShadowOutput = string | number;

/** One mirrored request: what the primary answered and what the shadow did with the same input. */
export interface ShadowPair {
  readonly primary: ShadowOutput;
  readonly primaryLatencySeconds: number;
  /** Absent when the shadow failed. */
  readonly shadow?: ShadowOutput;
  readonly shadowLatencySeconds: number;
  readonly shadowError: boolean;
}

/** Null wherever nothing was there to measure. Plain JSON. */
export interface ShadowComparisonSnapshot {
  /** Pairs recorded, failed shadows included. */
  readonly mirrored: number;
  readonly shadowErrors: number;
  /** Pairs where at least one side is a string: agreement is exact equality. */
  readonly labels: { readonly compared: number; readonly agreed: number; readonly agreementRate: number | null };
  /** Pairs where both sides are numbers: agreement is |primary - shadow| <= tolerance. */
  readonly numeric: {
    readonly compared: number;
    readonly tolerance: number;
    readonly withinTolerance: number;
    readonly agreementRate: number | null;
    /** Exact over every numeric pair, not just the sampled ones. */
    readonly meanAbsoluteDifference: number | null;
    /** Two-sample KS between the sampled primary and shadow numbers. */
    readonly ksStatistic: number | null;
    readonly ksPValue: number | null;
  };
  readonly latency: {
    readonly primary: { readonly p50: number | null; readonly p99: number | null };
    readonly shadow: { readonly p50: number | null; readonly p99: number | null };
    /** Shadow p99 / primary p99; null when either is missing or the primary's is 0. */
    readonly p99Ratio: number | null;
  };
}

export interface ShadowComparison {
  /** One mirrored request; cheap enough for the response path of every mirrored call. */
  record(pair: ShadowPair): void;
  snapshot(): ShadowComparisonSnapshot;
  reset(): void;
}

export interface ShadowComparisonOptions {
  /** Largest difference at which two numbers still agree. Default 1e-6: integer labels stay exact. */
  readonly tolerance?: number;
  /** Latencies and numbers kept per side. Default 2,000. */
  readonly capacity?: number;
  readonly random?: RandomSource;
}

export const DEFAULT_NUMERIC_TOLERANCE = 1e-6;

/**
 * Compares a shadow version with the primary on the same requests. The shadow's answers are never
 * returned to callers; this is how they are judged.
 */
export function createShadowComparison(options: ShadowComparisonOptions = {}): ShadowComparison {
  const tolerance = options.tolerance ?? DEFAULT_NUMERIC_TOLERANCE;
  const statsOptions = { capacity: options.capacity, random: options.random };
  // Latency and numeric outputs per side; the shadow's error count comes from its stats too.
  const primary = createVersionStats(statsOptions);
  const shadow = createVersionStats(statsOptions);
  let labelsCompared = 0;
  let labelsAgreed = 0;
  let numericCompared = 0;
  let numericWithin = 0;
  let absoluteDifferenceSum = 0;

  return {
    record(pair) {
      const primaryNumber = typeof pair.primary === 'number' ? pair.primary : undefined;
      primary.record('ok', pair.primaryLatencySeconds, primaryNumber);
      if (pair.shadowError || pair.shadow === undefined) {
        shadow.record('error', pair.shadowLatencySeconds);
        return;
      }
      const shadowNumber = typeof pair.shadow === 'number' ? pair.shadow : undefined;
      shadow.record('ok', pair.shadowLatencySeconds, shadowNumber);
      if (primaryNumber !== undefined && shadowNumber !== undefined) {
        const difference = Math.abs(primaryNumber - shadowNumber);
        numericCompared++;
        absoluteDifferenceSum += difference;
        if (difference <= tolerance) numericWithin++;
      } else {
        // A label against a number never agrees: the two versions disagree on what they output.
        labelsCompared++;
        if (pair.primary === pair.shadow) labelsAgreed++;
      }
    },
    snapshot() {
      const p = primary.snapshot();
      const s = shadow.snapshot();
      const ks = p.predictionSamples.length > 0 && s.predictionSamples.length > 0 ? ksTwoSample(p.predictionSamples, s.predictionSamples) : null;
      return {
        mirrored: s.requests,
        shadowErrors: s.errors,
        labels: { compared: labelsCompared, agreed: labelsAgreed, agreementRate: ratio(labelsAgreed, labelsCompared) },
        numeric: {
          compared: numericCompared,
          tolerance,
          withinTolerance: numericWithin,
          agreementRate: ratio(numericWithin, numericCompared),
          meanAbsoluteDifference: ratio(absoluteDifferenceSum, numericCompared),
          ksStatistic: ks?.statistic ?? null,
          ksPValue: ks?.pValue ?? null,
        },
        latency: {
          primary: { p50: p.latencyP50, p99: p.latencyP99 },
          shadow: { p50: s.latencyP50, p99: s.latencyP99 },
          p99Ratio: p.latencyP99 === null || s.latencyP99 === null ? null : ratio(s.latencyP99, p.latencyP99),
        },
      };
    },
    reset() {
      primary.reset();
      shadow.reset();
      labelsCompared = 0;
      labelsAgreed = 0;
      numericCompared = 0;
      numericWithin = 0;
      absoluteDifferenceSum = 0;
    },
  };
}

/** Whether to mirror this request to the shadow: `percent` (0..100) of requests on average. */
export function shouldMirror(percent: number, random: RandomSource = Math.random): boolean {
  return random() * 100 < percent;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
