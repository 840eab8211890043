/**
 * numpy's histogram pieces that Evidently's binned tests rely on, reproduced operation by operation
 * so bin edges (and so bin membership of values sitting on an edge) come out bit-identical.
 */
import { searchLeft, searchRight } from './sorted.js';

/** np.linspace(start, stop, num) with endpoint=True. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    // numpy divides first when the step underflows to zero (denormal ranges).
    for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
    out[num - 1] = stop;
  } else if (num === 1) {
    out[0] = start;
  }
  return out;
}

/**
 * np.histogram_bin_edges(values, bins='sturges'): equal-width bins over [min, max], their number
 * ceil(range / (range / (log2(n) + 1))); a constant sample gets one bin [v - 0.5, v + 0.5].
 */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/**
 * np.histogram(values, edges) counts: bin i holds edges[i] <= v < edges[i+1], the last bin also
 * holds v == edges[last]; values outside the edges are not counted.
 */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let previous = searchLeft(sorted, edges[0]);
  for (let i = 0; i < bins; i++) {
    const next = i === bins - 1 ? searchRight(sorted, edges[bins]) : searchLeft(sorted, edges[i + 1]);
    counts[i] = next - previous;
    previous = next;
  }
  return counts;
}

/** np.quantile(sorted, q) with the default 'linear' method, including numpy's two-sided lerp. */
export function quantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1];
  if (virtual < 0) return sorted[0];
  const below = Math.floor(virtual);
  const gamma = virtual - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
