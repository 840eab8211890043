/**
 * Hellinger distance sqrt(1 - BC), BC the Bhattacharyya coefficient clipped to [0, 1]
 * (Evidently's _hellinger_distance). Drift when distance >= threshold (default 0.1).
 * - categorical: BC = sum sqrt(p_ref * p_cur) over categories;
 * - numerical: Sturges bins over the distinct values of both samples (not over all values, unlike
 *   get_binned_data), densities as np.histogram(density=True) gives them, BC = sum
 *   sqrt(d_ref * d_cur) * bin width.
 */
import { histogramCounts, sturgesEdges } from '../numeric/histogram.js';
import { countDistinct, mergeSorted } from '../numeric/sorted.js';
import type { SamplePair } from '../samples.js';
import type { StatTestDefinition, StatTestOutcome } from './definition.js';

function densities(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = histogramCounts(sorted, edges);
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c, i) => c / (edges[i + 1] - edges[i]) / total);
}

function hellingerTest(pair: SamplePair): StatTestOutcome {
  let coefficient = 0;
  if (pair.columnType === 'categorical') {
    const counts = pair.categoryCounts();
    const n1 = pair.reference.length;
    const n2 = pair.current.length;
    for (let i = 0; i < counts.keys.length; i++) coefficient += Math.sqrt((counts.reference[i] / n1) * (counts.current[i] / n2));
  } else {
    const sorted = pair.sorted();
    const all = mergeSorted(sorted.reference, sorted.current);
    const edges = sturgesEdges(all[0], all[all.length - 1], countDistinct(all));
    const h1 = densities(sorted.reference, edges);
    const h2 = densities(sorted.current, edges);
    const width = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
    for (let i = 0; i < h1.length; i++) coefficient += Math.sqrt(h1[i] * h2[i]) * width;
  }
  const clipped = Math.min(Math.max(coefficient, 0), 1);
  return { score: Math.sqrt(1 - clipped) };
}

export const hellingerStatTest: StatTestDefinition = {
  name: 'hellinger',
  displayName: 'Hellinger distance',
  allowedTypes: ['categorical', 'numerical'],
  defaultThreshold: 0.1,
  scoreKind: 'distance',
  driftWhen: '>=',
  run: hellingerTest,
};
