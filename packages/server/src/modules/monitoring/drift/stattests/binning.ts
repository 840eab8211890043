/**
 * Evidently's get_binned_data (stattests/utils.py), shared by psi, kl_div and jensenshannon:
 * - a numerical column whose reference has more than 20 distinct values is cut into Sturges bins
 *   over the concatenated samples (np.histogram_bin_edges(concat, bins='sturges'));
 * - anything else gets one bin per value seen on either side;
 * - shares are count / sample size, and (except for jensenshannon) empty bins are filled so logs
 *   stay finite: with 0.0001, or with min(non-zero share) / 1e6 when that minimum is <= 0.0001.
 */
import { histogramCounts, sturgesEdges } from '../numeric/histogram.js';
import type { SamplePair } from '../samples.js';

export interface BinShares {
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

const QUANTIFIED_MIN_DISTINCT = 20;

export function fillZeroes(shares: Float64Array): void {
  let smallest = Number.POSITIVE_INFINITY;
  for (const share of shares) if (share !== 0 && share < smallest) smallest = share;
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
}

function divide(counts: Float64Array, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / total;
  return out;
}

export function binnedShares(pair: SamplePair, fillEmptyBins: boolean): BinShares {
  let reference: Float64Array;
  let current: Float64Array;
  if (pair.columnType === 'numerical' && pair.referenceDistinctCount() > QUANTIFIED_MIN_DISTINCT) {
    const sorted = pair.sorted();
    const min = Math.min(sorted.reference[0], sorted.current[0]);
    const max = Math.max(sorted.reference[sorted.reference.length - 1], sorted.current[sorted.current.length - 1]);
    const edges = sturgesEdges(min, max, sorted.reference.length + sorted.current.length);
    reference = divide(histogramCounts(sorted.reference, edges), sorted.reference.length);
    current = divide(histogramCounts(sorted.current, edges), sorted.current.length);
  } else {
    const counts = pair.categoryCounts();
    reference = divide(counts.reference, pair.reference.length);
    current = divide(counts.current, pair.current.length);
  }
  if (fillEmptyBins) {
    fillZeroes(reference);
    fillZeroes(current);
  }
  return { reference, current };
}

