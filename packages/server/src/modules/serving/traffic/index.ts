export type { RandomSource } from './random-source.js';
export { createRouter, compareVersions, type RouteRequest, type RouterConfig, type TrafficRouter } from './router.js';
export { stableHashPercent } from './stable-hash.js';
export {
  createVersionStats,
  DEFAULT_SAMPLE_CAPACITY,
  type RequestOutcome,
  type VersionStats,
  type VersionStatsOptions,
  type VersionStatsSnapshot,
} from './version-stats.js';
export { kolmogorovSurvival, ksTwoSample, type KsTestResult } from './kolmogorov-smirnov.js';
export { validateCanaryConfig, type CanaryAnalysisConfig, type CanaryConfig } from './canary-config.js';
export { analyseCanaryStep, type CanaryFigures, type CanaryVerdict, type CanaryWindow, type VersionWindow } from './canary-analysis.js';
export {
  HISTORY_LIMIT,
  type CanaryAction,
  type CanaryHistoryRecord,
  type CanaryInput,
  type CanaryState,
  type CanaryStatus,
  type CanaryTransition,
} from './canary-state.js';
export { canaryWeights, startCanary, transitionCanary } from './canary-rollout.js';
export {
  createShadowComparison,
  shouldMirror,
  type ShadowComparison,
  type ShadowComparisonOptions,
  type ShadowComparisonSnapshot,
  type ShadowOutput,
  type ShadowPair,
} from './shadow-comparison.js';
