/**
 * Kullback-Leibler divergence KL(reference || current) of the binned, zero-filled shares
 * (Evidently's _kl_div: scipy.stats.entropy(ref, cur), which renormalises both to sum 1 first).
 * Drift when KL >= threshold (default 0.1).
 */
import { pairwiseSum } from '../numeric/pairwise-sum.js';
import type { SamplePair } from '../samples.js';
import { binnedShares } from './binning.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';
import { relEntr } from './jensenshannon.js';

function klDivergence(pShares: Float64Array, qShares: Float64Array): number {
  const pTotal = pairwiseSum(pShares);
  const qTotal = pairwiseSum(qShares);
  const terms = new Float64Array(pShares.length);
  for (let i = 0; i < terms.length; i++) terms[i] = relEntr((1.0 * pShares[i]) / pTotal, (1.0 * qShares[i]) / qTotal);
  return pairwiseSum(terms);
}

function klDivTest(pair: SamplePair): StatTestOutcome {
  const shares = binnedShares(pair, true);
  return { score: klDivergence(shares.reference, shares.current) };
}

export const klDivStatTest: StatTestDefinition = {
  name: 'kl_div',
  displayName: 'Kullback-Leibler divergence',
  allowedTypes: ['categorical', 'numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: klDivTest,
};
