/**
 * The two tests built on scipy's _cdf_distance (the L^p distance between the empirical CDFs):
 * - wasserstein: scipy.stats.wasserstein_distance (p = 1) divided by max(std(reference), 0.001),
 *   Evidently's "Wasserstein distance (normed)"; drift when >= threshold (default 0.1);
 * - ed: scipy.stats.energy_distance = sqrt(2) * (p = 2 distance); drift when > threshold (strictly,
 *   as Evidently's _energy_dist compares), default 0.1.
 */
import { pairwiseSum, populationStd } from '../numeric/pairwise-sum.js';
import { mergeSorted } from '../numeric/sorted.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

/** Integral over x of |F_u(x) - F_v(x)|^p, p in {1, 2}; for p = 2 the square root of it. */
function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  const all = mergeSorted(u, v);
  const terms = new Float64Array(all.length - 1);
  let i = 0;
  let j = 0;
  for (let k = 0; k < terms.length; k++) {
    // CDFs just right of all[k]: how many values of each sample are <= all[k].
    while (i < u.length && u[i] <= all[k]) i++;
    while (j < v.length && v[j] <= all[k]) j++;
    const diff = i / u.length - j / v.length;
    const delta = all[k + 1] - all[k];
    terms[k] = p === 1 ? Math.abs(diff) * delta : diff * diff * delta;
  }
  const sum = pairwiseSum(terms);
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
