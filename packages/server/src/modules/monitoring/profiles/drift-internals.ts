/**
 * Everything this library reads from the drift library beyond its index.ts, in one place: the
 * tests' thresholds and results (registry, columnResult) and the numerics the sample-based tests
 * use (scipy ports, Evidently's binning helpers, category order). Read-only: profiles never change
 * the drift library, they call the same functions so a profile-based score is computed the way the
 * sample-based one is. If these move, this file is the only one to update.
 */
export { checkThreshold, testableType } from '../drift/column-checks.js';
export { NUMBER_UNIQUE_AS_CATEGORICAL } from '../drift/column-type.js';
export { datasetDrift } from '../drift/dataset-drift.js';
export { kstwoSf } from '../drift/numeric/kolmogorov.js';
export { sturgesEdges } from '../drift/numeric/histogram.js';
export { pairwiseSum } from '../drift/numeric/pairwise-sum.js';
export { roundHalfEven } from '../drift/numeric/rounding.js';
export { chi2Sf, ndtr, studentTSf } from '../drift/numeric/special.js';
export { defaultStatTestOf, statTestByName } from '../drift/registry.js';
export { compareCategories, type Category } from '../drift/samples.js';
export { fillZeroes } from '../drift/stattests/binning.js';
export { columnResult, type StatTestDefinition } from '../drift/stattests/definition.js';
export { relEntr } from '../drift/stattests/jensenshannon.js';
