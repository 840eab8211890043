/**
 * Model-performance library for the monitoring module: scikit-learn's classification and regression
 * metrics, windowed/segmented scoring, NannyML's CBPE and river's Page-Hinkley and ADWIN detectors,
 * as pure functions and small state machines. See README.md for the design and definitions.
 */
export { accuracy, classReport, confusionMatrix, f1, precision, recall } from './classification.js';
export { averagePrecision, rocAuc, rocAucOvr, type BinaryScoreOptions } from './ranking.js';
export { logLoss } from './log-loss.js';
export { meanAbsoluteError, meanAbsolutePercentageError, r2Score, rootMeanSquaredError } from './regression.js';
export {
  classificationByGroup,
  regressionByGroup,
  type ClassificationGroup,
  type ClassificationGroupingOptions,
  type GroupingOptions,
  type GroupKey,
  type PerformanceRecord,
  type RegressionGroup,
  type SegmentValue,
} from './windows.js';
export { fitIsotonic, predictIsotonic, type IsotonicFit } from './isotonic.js';
export {
  CBPE_METRICS,
  estimateBinaryPerformance,
  estimateCbpeChunk,
  estimateRocAuc,
  fitCbpe,
  type CbpeBand,
  type CbpeChunk,
  type CbpeEstimate,
  type CbpeMetric,
  type CbpeModel,
  type CbpeOptions,
  type CbpeReference,
  type CbpeValues,
} from './cbpe.js';
export { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions } from './page-hinkley.js';
export { Adwin, type AdwinOptions } from './adwin.js';
export { PerformanceError } from './errors.js';
export type { Average, AverageOptions, ClassReport, ConfusionMatrix, Label } from './types.js';
