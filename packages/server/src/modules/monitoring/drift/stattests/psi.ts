/**
 * Population Stability Index, sum((r - c) * ln(r / c)) over bins; drift when PSI >= threshold
 * (default 0.1).
 *
 * - 'psi' is Evidently's: the bins of get_binned_data (Sturges over both samples, or one per value)
 *   with empty bins filled.
 * - 'psi_quantile' is Capstan's addition, the binning most PSI write-ups use: ten bins cut at the
 *   reference's deciles (np.quantile, linear), duplicate cut points merged, the outer bins open
 *   (-inf, q1) and [q9, inf) so current values beyond the reference range still land in a bin, and
 *   the same zero filling. Each reference bin then holds ~10% of the reference, which makes the
 *   index comparable across columns with different shapes.
 */
import { linspace, quantile } from '../numeric/histogram.js';
import { pairwiseSum } from '../numeric/pairwise-sum.js';
import { searchLeft } from '../numeric/sorted.js';
import type { SamplePair } from '../samples.js';
import { binnedShares, fillZeroes } from './binning.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

const QUANTILE_BINS = 10;

function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  const terms = new Float64Array(reference.length);
  for (let i = 0; i < terms.length; i++) terms[i] = (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return pairwiseSum(terms);
}

function psiTest(pair: SamplePair): StatTestOutcome {
  const shares = binnedShares(pair, true);
  return { score: populationStabilityIndex(shares.reference, shares.current) };
}

/** Shares per bin, bin i holding cuts[i-1] <= v < cuts[i] (np.searchsorted(cuts, v, 'right') == i). */
function quantileShares(sorted: Float64Array, cuts: Float64Array): Float64Array {
  const shares = new Float64Array(cuts.length + 1);
  let below = 0;
  for (let i = 0; i < cuts.length; i++) {
    const upto = searchLeft(sorted, cuts[i]);
    shares[i] = (upto - below) / sorted.length;
    below = upto;
  }
  shares[cuts.length] = (sorted.length - below) / sorted.length;
  return shares;
}

function psiQuantileTest(pair: SamplePair): StatTestOutcome {
  const { reference, current } = pair.sorted();
  const levels = linspace(0, 1, QUANTILE_BINS + 1);
  // np.unique of the nine interior quantiles: sorted, duplicates merged.
  const quantiles = new Float64Array(QUANTILE_BINS - 1);
  for (let i = 1; i < QUANTILE_BINS; i++) quantiles[i - 1] = quantile(reference, levels[i]);
  quantiles.sort();
  const cuts = quantiles.filter((cut, i) => i === 0 || cut !== quantiles[i - 1]);
  const referenceShares = quantileShares(reference, cuts);
  const currentShares = quantileShares(current, cuts);
  fillZeroes(referenceShares);
  fillZeroes(currentShares);
  return { score: populationStabilityIndex(referenceShares, currentShares) };
}

export const psiStatTest: StatTestDefinition = {
  name: 'psi',
  displayName: 'PSI',
  allowedTypes: ['categorical', 'numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: psiTest,
};

export const psiQuantileStatTest: StatTestDefinition = {
  name: 'psi_quantile',
  displayName: 'PSI (reference decile bins)',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: psiQuantileTest,
};

