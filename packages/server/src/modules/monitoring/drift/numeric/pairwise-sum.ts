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

/**
 * Sum of squared deviations from the mean, the way np.var / scipy's _moment compute it: the
 * squares summed pairwise. Each square is computed where the sum reads it instead of into an array
 * first; the additions and their order are the same.
 */
export function squaredDeviationSum(values: ArrayLike<number>, centre: number, start = 0, count = values.length - start): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const d = values[start + i] - centre;
      sum += d * d;
    }
    return sum;
  }
  if (count <= BLOCK) {
    let d0 = values[start] - centre, d1 = values[start + 1] - centre, d2 = values[start + 2] - centre, d3 = values[start + 3] - centre;
    let d4 = values[start + 4] - centre, d5 = values[start + 5] - centre, d6 = values[start + 6] - centre, d7 = values[start + 7] - centre;
    let r0 = d0 * d0, r1 = d1 * d1, r2 = d2 * d2, r3 = d3 * d3, r4 = d4 * d4, r5 = d5 * d5, r6 = d6 * d6, r7 = d7 * d7;
    const unrolled = count - (count % 8);
    let i = 8;
    for (; i < unrolled; i += 8) {
      const at = start + i;
      d0 = values[at] - centre;
      d1 = values[at + 1] - centre;
      d2 = values[at + 2] - centre;
      d3 = values[at + 3] - centre;
      d4 = values[at + 4] - centre;
      d5 = values[at + 5] - centre;
      d6 = values[at + 6] - centre;
      d7 = values[at + 7] - centre;
      r0 += d0 * d0;
      r1 += d1 * d1;
      r2 += d2 * d2;
      r3 += d3 * d3;
      r4 += d4 * d4;
      r5 += d5 * d5;
      r6 += d6 * d6;
      r7 += d7 * d7;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < count; i++) {
      const d = values[start + i] - centre;
      sum += d * d;
    }
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return squaredDeviationSum(values, centre, start, half) + squaredDeviationSum(values, centre, start + half, count - half);
}

/**
 * Pairwise summation of terms computed on the fly, in two steps, for a caller that produces the
 * terms in order in one loop (a merge, say) and cannot jump around: pairwiseBlocks(count) gives the
 * sizes of the blocks pairwiseSum would sum directly, left to right; the caller sums each block
 * with pairwiseSum (block, 0, size) and pairwiseCombine(count, blockSums) adds the block sums up
 * the way pairwiseSum's recursion does. Same additions, same order, so the same result as
 * pairwiseSum over an array of all the terms.
 */
export function pairwiseBlocks(count: number): Int32Array {
  const sizes: number[] = [];
  const split = (n: number): void => {
    if (n <= BLOCK) {
      sizes.push(n);
      return;
    }
    let half = Math.floor(n / 2);
    half -= half % 8;
    split(half);
    split(n - half);
  };
  split(count);
  return Int32Array.from(sizes);
}

export function pairwiseCombine(count: number, blockSums: Float64Array): number {
  let next = 0;
  const combine = (n: number): number => {
    if (n <= BLOCK) return blockSums[next++];
    let half = Math.floor(n / 2);
    half -= half % 8;
    const left = combine(half);
    return left + combine(n - half);
  };
  return combine(count);
}

/** np.std(x) (population, ddof=0). */
export function populationStd(values: ArrayLike<number>): number {
  return Math.sqrt(squaredDeviationSum(values, mean(values)) / values.length);
}
