/**
 * MurmurHash3's 32-bit finaliser (fmix32): spreads every input bit over the whole word, so hashes
 * of near-identical inputs (keys differing in their last character, doubles one ulp apart) land
 * far apart. Used by sticky traffic routing and by the monitoring profiles' sketches.
 */
export function murmurMix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
