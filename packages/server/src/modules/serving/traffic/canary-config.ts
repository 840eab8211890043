import { invalidParameter } from '../../../core/errors.js';

/** How a canary step's figures are judged; see `analyseCanaryStep`. */
export interface CanaryAnalysisConfig {
  /**
   * Requests each version must have answered in the step before it is judged (the candidate's
   * count is the one that matters; the stable version usually has more).
   */
  readonly minRequests: number;
  /** Largest allowed candidate error rate minus stable error rate, absolute (0.01 = one point). */
  readonly maxErrorRateIncrease: number;
  /** Largest allowed candidate p99 latency divided by stable p99 latency (1.5 = 50% slower). */
  readonly maxLatencyP99Ratio: number;
  /** 'ks' compares the prediction distributions (two-sample Kolmogorov–Smirnov); 'none' skips it. */
  readonly driftTest: 'ks' | 'none';
  /** Drift is flagged when the KS p-value falls below this (e.g. 0.01). Required with 'ks'. */
  readonly driftPValueThreshold?: number;
  /**
   * With it, drift must also be large to fail the step: KS statistic D above this (0..1). Large
   * samples make even a negligible shift significant; this keeps such shifts from rolling back.
   */
  readonly maxPredictionDrift?: number;
  /** Prediction samples each version needs before the drift test runs. Default 50. */
  readonly minPredictionSamples?: number;
  /**
   * What a step still short of requests or samples after `maxWaitSeconds` does: 'wait' keeps it
   * at its weight (its last analysis says it is overdue), 'rollback' rolls back for insufficient
   * traffic. Default 'wait'.
   */
  readonly onInsufficientTraffic?: 'wait' | 'rollback';
  /** Default three step intervals. */
  readonly maxWaitSeconds?: number;
}

export interface CanaryConfig {
  /** The version being rolled out. */
  readonly candidate: string;
  /** The version serving today, which keeps the rest of the traffic. */
  readonly stable: string;
  /**
   * Candidate weights, in percent, strictly increasing (e.g. [5, 25, 50, 100]). A step of 100 may
   * only come last and is the promotion itself: with no stable traffic left there is nothing to
   * compare, so passing the last step below 100 promotes, whether or not 100 is written.
   */
  readonly steps: readonly number[];
  /** The least time a step lasts before it may pass. */
  readonly stepIntervalSeconds: number;
  readonly analysis: CanaryAnalysisConfig;
  /** A registry alias to move to the candidate on promotion (e.g. 'champion'). */
  readonly promoteAlias?: string;
}

export const DEFAULT_MIN_PREDICTION_SAMPLES = 50;
export const DEFAULT_WAIT_INTERVALS = 3;

/** Throws INVALID_PARAMETER_VALUE naming the first thing wrong with a rollout's configuration. */
export function validateCanaryConfig(config: CanaryConfig): void {
  if (!config.candidate || !config.stable) throw invalidParameter('A canary needs a candidate and a stable version');
  if (config.candidate === config.stable) throw invalidParameter(`A canary's candidate and stable versions must differ (both are ${config.candidate})`);
  validateSteps(config.steps);
  requirePositive('stepIntervalSeconds', config.stepIntervalSeconds);

  const a = config.analysis;
  if (!Number.isInteger(a.minRequests) || a.minRequests < 1) throw invalidParameter(`analysis.minRequests must be a positive integer, got ${a.minRequests}`);
  requireInRange('analysis.maxErrorRateIncrease', a.maxErrorRateIncrease, 0, 1);
  requirePositive('analysis.maxLatencyP99Ratio', a.maxLatencyP99Ratio);
  if (a.driftTest !== 'ks' && a.driftTest !== 'none') throw invalidParameter(`analysis.driftTest must be 'ks' or 'none', got ${String(a.driftTest)}`);
  if (a.driftTest === 'ks') {
    if (a.driftPValueThreshold === undefined) throw invalidParameter("analysis.driftPValueThreshold is required with driftTest 'ks'");
    requireInRange('analysis.driftPValueThreshold', a.driftPValueThreshold, 0, 1);
  }
  if (a.maxPredictionDrift !== undefined) requireInRange('analysis.maxPredictionDrift', a.maxPredictionDrift, 0, 1);
  if (a.minPredictionSamples !== undefined && (!Number.isInteger(a.minPredictionSamples) || a.minPredictionSamples < 1)) {
    throw invalidParameter(`analysis.minPredictionSamples must be a positive integer, got ${a.minPredictionSamples}`);
  }
  if (a.onInsufficientTraffic !== undefined && a.onInsufficientTraffic !== 'wait' && a.onInsufficientTraffic !== 'rollback') {
    throw invalidParameter(`analysis.onInsufficientTraffic must be 'wait' or 'rollback', got ${String(a.onInsufficientTraffic)}`);
  }
  if (a.maxWaitSeconds !== undefined) requirePositive('analysis.maxWaitSeconds', a.maxWaitSeconds);
}

function validateSteps(steps: readonly number[]): void {
  if (!Array.isArray(steps) || steps.length === 0) throw invalidParameter('A canary needs at least one step');
  steps.forEach((weight, i) => {
    if (typeof weight !== 'number' || !(weight > 0 && weight <= 100)) throw invalidParameter(`Canary step weights must be in (0, 100], got ${String(weight)}`);
    if (i > 0 && weight <= (steps[i - 1] as number)) throw invalidParameter(`Canary step weights must increase, got ${steps.join(', ')}`);
  });
  if ((steps[0] as number) >= 100) {
    throw invalidParameter('A canary needs a step below 100; to switch all traffic at once, set the weights instead (blue-green)');
  }
}

function requirePositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalidParameter(`${name} must be a positive number, got ${String(value)}`);
}

function requireInRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) throw invalidParameter(`${name} must be between ${min} and ${max}, got ${String(value)}`);
}
