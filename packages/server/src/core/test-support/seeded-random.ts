/** Generators whose sequence is fixed by their seed, for repeatable tests. Each returns [0, 1). */

/** Mulberry32: small and fast, with good statistical quality. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Park and Miller's minimal standard generator (minstd, multiplier 16807); seed in [1, 2^31 - 2]. */
export function minstdRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}
