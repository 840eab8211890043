/** Monitoring clients of the SDK. */
export { MAX_LABELS_PER_CALL, PerformanceClient, type GroundTruth, type PerformanceClientOptions } from './performance.js';
