/**
 * Jensen-Shannon distance (Evidently's _jensenshannon): scipy.spatial.distance.jensenshannon of the
 * binned shares without zero filling, natural log (Evidently 0.4+ passes base=None), so the value
 * lies in [0, sqrt(ln 2)]. Drift when distance >= threshold (default 0.1).
 */
import { pairwiseSum } from '../numeric/pairwise-sum.js';
import type { SamplePair } from '../samples.js';
import { binnedShares } from './binning.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

/** scipy.special.rel_entr(x, y) = x ln(x/y), 0 when x == 0. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

function normalised(shares: Float64Array): Float64Array {
  const total = pairwiseSum(shares);
  return shares.map((s) => s / total);
}

function jensenShannonDistance(pShares: Float64Array, qShares: Float64Array): number {
  const p = normalised(pShares);
  const q = normalised(qShares);
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2.0;
    left[i] = relEntr(p[i], m);
    right[i] = relEntr(q[i], m);
  }
  const js = pairwiseSum(left) + pairwiseSum(right);
  return Math.sqrt(js / 2.0);
}

function jensenShannonTest(pair: SamplePair): StatTestOutcome {
  const shares = binnedShares(pair, false);
  return { score: jensenShannonDistance(shares.reference, shares.current) };
}

export const jensenShannonStatTest: StatTestDefinition = {
  name: 'jensenshannon',
  displayName: 'Jensen-Shannon distance',
  allowedTypes: ['categorical', 'numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: jensenShannonTest,
};
