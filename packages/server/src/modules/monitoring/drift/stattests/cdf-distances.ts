/**
 * The two tests built on scipy's _cdf_distance (the L^p distance between the empirical CDFs):
 * - wasserstein: scipy.stats.wasserstein_distance (p = 1) divided by max(std(reference), 0.001),
 *   Evidently's "Wasserstein distance (normed)"; drift when >= threshold (default 0.1);
 * - ed: scipy.stats.energy_distance = sqrt(2) * (p = 2 distance); drift when > threshold (strictly,
 *   as Evidently's _energy_dist compares), default 0.1.
 */
import { pairwiseBlocks, pairwiseCombine, pairwiseSum, populationStd } from '../numeric/pairwise-sum.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

/**
 * Integral over x of |F_u(x) - F_v(x)|^p, p in {1, 2}; for p = 2 the square root of it. scipy's
 * _cdf_distance sorts the concatenated samples into `all` and sums, with np.sum,
 *   |cdf_u(all[k]) - cdf_v(all[k])|^p * (all[k+1] - all[k]),   k = 0 .. len(all) - 2,
 * where cdf_u(x) = (values of u <= x) / len(u). Here the merge of the two sorted samples is walked
 * once, producing those terms in the same order, and they are summed in numpy's pairwise order
 * block by block (pairwiseBlocks/pairwiseCombine), so no array of the 2n values or terms is built.
 *
 * After all[k] is taken from the merge at positions (a, b), every value left is >= all[k]. If
 * all[k+1] > all[k], none equals all[k], so the counts of values <= all[k] are exactly a and b; if
 * all[k+1] = all[k], the term is (finite) * 0 = 0 whatever the counts. Either way the term equals
 * scipy's with a and b in place of the searchsorted counts, bit for bit.
 */
function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  const n = u.length;
  const m = v.length;
  const count = n + m - 1;
  const blocks = pairwiseBlocks(count);
  const blockSums = new Float64Array(blocks.length);
  const block = new Float64Array(128);
  // Everything stays in locals of this loop (no closures), so V8 keeps the doubles unboxed.
  let a = 0;
  let b = 0;
  let value: number;
  if (u[0] <= v[0]) value = u[a++];
  else value = v[b++];
  for (let at = 0; at < blocks.length; at++) {
    const size = blocks[at];
    for (let t = 0; t < size; t++) {
      const diff = a / n - b / m;
      let following: number;
      if (b >= m || (a < n && u[a] <= v[b])) following = u[a++];
      else following = v[b++];
      const delta = following - value;
      block[t] = p === 1 ? Math.abs(diff) * delta : diff * diff * delta;
      value = following;
    }
    blockSums[at] = pairwiseSum(block, 0, size);
  }
  const sum = pairwiseCombine(count, blockSums);
  return p === 1 ? sum : Math.sqrt(sum);
}

function wassersteinTest(pair: SamplePair): StatTestOutcome {
  const sorted = pair.sorted();
  const norm = Math.max(populationStd(pair.numbers().reference), 0.001);
  return { score: cdfDistance(1, sorted.reference, sorted.current) / norm };
}

function energyDistanceTest(pair: SamplePair): StatTestOutcome {
  const sorted = pair.sorted();
  return { score: Math.SQRT2 * cdfDistance(2, sorted.reference, sorted.current) };
}

export const wassersteinStatTest: StatTestDefinition = {
  name: 'wasserstein',
  displayName: 'Wasserstein distance (normed)',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: wassersteinTest,
};

export const energyDistanceStatTest: StatTestDefinition = {
  name: 'ed',
  displayName: 'Energy-distance',
  allowedTypes: ['numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>',
  run: energyDistanceTest,
};
