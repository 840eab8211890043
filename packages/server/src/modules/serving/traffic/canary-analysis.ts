import { DEFAULT_MIN_PREDICTION_SAMPLES, type CanaryAnalysisConfig } from './canary-config.js';
import { ksTwoSample } from './kolmogorov-smirnov.js';
import { latencyPercentiles } from './quantile.js';

/**
 * One version's figures for the current step. A `VersionStatsSnapshot` is one; a caller with
 * figures from elsewhere (a metrics store) may give a p99 instead of latency samples.
 */
export interface VersionWindow {
  readonly requests: number;
  readonly errors: number;
  /** Seconds; used when present, else computed from `latencySamples`. */
  readonly latencyP99?: number | null;
  readonly latencySamples?: readonly number[];
  /** Numbers the version predicted (a label, a probability); needed by the drift test. */
  readonly predictionSamples?: readonly number[];
}

export interface CanaryWindow {
  readonly stable: VersionWindow;
  readonly candidate: VersionWindow;
}

/** The numbers behind a verdict, kept in the rollout's history; null where not measurable. */
export interface CanaryFigures {
  readonly candidateRequests: number;
  readonly stableRequests: number;
  readonly candidateErrorRate: number | null;
  readonly stableErrorRate: number | null;
  readonly errorRateIncrease: number | null;
  readonly candidateLatencyP99: number | null;
  readonly stableLatencyP99: number | null;
  /** Null when the stable p99 is 0 (no ratio; JSON has no Infinity). */
  readonly latencyP99Ratio: number | null;
  readonly candidatePredictionSamples: number;
  readonly stablePredictionSamples: number;
  readonly ksStatistic: number | null;
  readonly ksPValue: number | null;
}

/**
 * 'pass': every check held. 'fail': at least one did not (the reason names each, with figures).
 * 'insufficient': too few requests or samples to judge yet.
 */
export interface CanaryVerdict {
  readonly verdict: 'pass' | 'fail' | 'insufficient';
  readonly reason: string;
  readonly figures: CanaryFigures;
}

/**
 * Judges a step: candidate against stable on error rate (absolute increase), p99 latency (ratio)
 * and, with driftTest 'ks', the distribution of predictions. Every failing check is reported, not
 * just the first, so whoever reads the rollback sees the whole picture.
 */
export function analyseCanaryStep(analysis: CanaryAnalysisConfig, window: CanaryWindow): CanaryVerdict {
  const { stable, candidate } = window;
  const figures = measure(analysis, window);

  const missing: string[] = [];
  if (candidate.requests < analysis.minRequests) missing.push(`candidate has ${candidate.requests} of ${analysis.minRequests} requests`);
  if (stable.requests < analysis.minRequests) missing.push(`stable has ${stable.requests} of ${analysis.minRequests} requests`);
  if (figures.candidateLatencyP99 === null || figures.stableLatencyP99 === null) missing.push('no latency figures');
  if (analysis.driftTest === 'ks' && figures.ksPValue === null) {
    const needed = analysis.minPredictionSamples ?? DEFAULT_MIN_PREDICTION_SAMPLES;
    missing.push(`drift test needs ${needed} prediction samples per version (candidate ${figures.candidatePredictionSamples}, stable ${figures.stablePredictionSamples})`);
  }
  if (missing.length > 0) return { verdict: 'insufficient', reason: `insufficient traffic: ${missing.join('; ')}`, figures };

  const failures: string[] = [];
  const increase = figures.errorRateIncrease as number;
  if (increase > analysis.maxErrorRateIncrease) {
    failures.push(`error rate ${fmt(figures.candidateErrorRate)} vs stable ${fmt(figures.stableErrorRate)} (+${fmt(increase)}, allowed +${fmt(analysis.maxErrorRateIncrease)})`);
  }
  // Compared by multiplication so a stable p99 of 0 needs no division.
  const candidateP99 = figures.candidateLatencyP99 as number;
  const stableP99 = figures.stableLatencyP99 as number;
  if (candidateP99 > analysis.maxLatencyP99Ratio * stableP99) {
    const ratio = figures.latencyP99Ratio === null ? '' : `, ${fmt(figures.latencyP99Ratio)}x`;
    failures.push(`latency p99 ${fmt(candidateP99)}s vs stable ${fmt(stableP99)}s${ratio} (allowed ${fmt(analysis.maxLatencyP99Ratio)}x)`);
  }
  if (analysis.driftTest === 'ks' && isDrift(analysis, figures)) {
    const size = analysis.maxPredictionDrift === undefined ? '' : ` and D > ${fmt(analysis.maxPredictionDrift)}`;
    failures.push(`prediction drift: KS D ${fmt(figures.ksStatistic)}, p-value ${fmt(figures.ksPValue)} (< ${fmt(analysis.driftPValueThreshold as number)}${size})`);
  }
  if (failures.length > 0) return { verdict: 'fail', reason: failures.join('; '), figures };
  return { verdict: 'pass', reason: 'error rate, latency and predictions within bounds', figures };
}

function isDrift(analysis: CanaryAnalysisConfig, figures: CanaryFigures): boolean {
  const significant = (figures.ksPValue as number) < (analysis.driftPValueThreshold as number);
  const large = analysis.maxPredictionDrift === undefined || (figures.ksStatistic as number) > analysis.maxPredictionDrift;
  return significant && large;
}

function measure(analysis: CanaryAnalysisConfig, { stable, candidate }: CanaryWindow): CanaryFigures {
  const candidateErrorRate = rate(candidate);
  const stableErrorRate = rate(stable);
  const candidateLatencyP99 = p99(candidate);
  const stableLatencyP99 = p99(stable);
  const candidatePredictions = candidate.predictionSamples ?? [];
  const stablePredictions = stable.predictionSamples ?? [];
  const needed = analysis.minPredictionSamples ?? DEFAULT_MIN_PREDICTION_SAMPLES;
  const ks = analysis.driftTest === 'ks' && candidatePredictions.length >= needed && stablePredictions.length >= needed
    ? ksTwoSample(candidatePredictions, stablePredictions)
    : null;
  return {
    candidateRequests: candidate.requests,
    stableRequests: stable.requests,
    candidateErrorRate,
    stableErrorRate,
    errorRateIncrease: candidateErrorRate === null || stableErrorRate === null ? null : candidateErrorRate - stableErrorRate,
    candidateLatencyP99,
    stableLatencyP99,
    latencyP99Ratio: candidateLatencyP99 === null || stableLatencyP99 === null || stableLatencyP99 === 0 ? null : candidateLatencyP99 / stableLatencyP99,
    candidatePredictionSamples: candidatePredictions.length,
    stablePredictionSamples: stablePredictions.length,
    ksStatistic: ks?.statistic ?? null,
    ksPValue: ks?.pValue ?? null,
  };
}

function rate(window: VersionWindow): number | null {
  return window.requests > 0 ? window.errors / window.requests : null;
}

function p99(window: VersionWindow): number | null {
  if (window.latencyP99 !== undefined && window.latencyP99 !== null) return window.latencyP99;
  return window.latencySamples ? latencyPercentiles(window.latencySamples).p99 : null;
}

/** Four significant digits: enough to read in a reason, short enough to fit a log line. */
function fmt(value: number | null): string {
  return value === null ? 'n/a' : String(Number(value.toPrecision(4)));
}
