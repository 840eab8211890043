/**
 * numpy's summation order for `np.sum` over a contiguous float64 array (pairwise summation with an
 * 8-way unrolled base case, numpy/core/src/umath/loops_utils.h.src). Following it keeps our sums
 * within an ulp or two of Evidently's, which matters where a sum is later compared or square-rooted.
 */
const BLOCK = 128;

export function pairwiseSum(values: ArrayLike<number>, start = 0, count = values.length - start): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += values[start + i];
    return sum;
  }
  if (count <= BLOCK) {
    let r0 = values[start], r1 = values[start + 1], r2 = values[start + 2], r3 = values[start + 3];
    let r4 = values[start + 4], r5 = values[start + 5], r6 = values[start + 6], r7 = values[start + 7];
    const unrolled = count - (count % 8);
    let i = 8;
    for (; i < unrolled; i += 8) {
      const at = start + i;
      r0 += values[at];
      r1 += values[at + 1];
      r2 += values[at + 2];
      r3 += values[at + 3];
      r4 += values[at + 4];
      r5 += values[at + 5];
      r6 += values[at + 6];
      r7 += values[at + 7];
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < count; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}

/** np.mean: the pairwise sum divided by the count. */
export function mean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}

/** Sum of squared deviations from the mean, the way np.var / scipy's _moment compute it. */
export function squaredDeviationSum(values: ArrayLike<number>, centre: number): number {
  const squares = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - centre;
    squares[i] = d * d;
  }
  return pairwiseSum(squares);
}

/** np.std(x) (population, ddof=0). */
export function populationStd(values: ArrayLike<number>): number {
  return Math.sqrt(squaredDeviationSum(values, mean(values)) / values.length);
}
