import type { CanaryWindow, VersionWindow } from '../canary-analysis.js';
import type { CanaryConfig } from '../canary-config.js';

/** n predictions spread evenly over [from, to): two such samples over the same range have D = 0. */
export function evenPredictions(n: number, from = 0, to = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));
}

/** A version that answered `requests` calls, `errors` of them failed, at the given p99. */
export function versionWindow(overrides: Partial<VersionWindow> = {}): VersionWindow {
  return { requests: 200, errors: 1, latencyP99: 0.1, predictionSamples: evenPredictions(200), ...overrides };
}

/** Candidate and stable alike: every check passes. */
export function healthyWindow(candidate: Partial<VersionWindow> = {}, stable: Partial<VersionWindow> = {}): CanaryWindow {
  return { stable: versionWindow({ requests: 2_000, errors: 10, ...stable }), candidate: versionWindow(candidate) };
}

export const canaryConfig: CanaryConfig = {
  candidate: '4',
  stable: '3',
  steps: [5, 25, 50, 100],
  stepIntervalSeconds: 60,
  analysis: { minRequests: 100, maxErrorRateIncrease: 0.01, maxLatencyP99Ratio: 1.5, driftTest: 'ks', driftPValueThreshold: 0.01 },
  promoteAlias: 'champion',
};
