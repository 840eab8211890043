/**
 * 64-bit hashes (two 32-bit words) of the values a column profile counts distinct values of.
 * Numbers, strings and booleans hash with different seeds, so 1, '1' and true are three values, as
 * they are three categories for the drift library. -0 is hashed as 0 (a JavaScript Set, and pandas,
 * treat them as one value).
 *
 * Numbers: murmur3's finaliser over the IEEE-754 bits (both words feed both outputs, so small
 * integers, whose low word is 0, still spread). Strings: murmur3_x86_32 over UTF-16 code units, the
 * second word derived from the first by another finaliser round; two distinct strings share both
 * words only when their 32-bit hashes collide (expected n^2 / 2^33 pairs: ~0.1 % of 10^7 distinct
 * strings), which is far below HyperLogLog's own error.
 */
import { murmurMix32 } from '../../../core/murmur-mix.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const SEED_NUMBER = 0x2545f491;
const SEED_STRING = 0x9747b28c;

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;

/** The output of the last hash call: [h1, h2]. Reused to avoid an allocation per value. */
export type HashOut = Uint32Array;

export function newHashOut(): HashOut {
  return new Uint32Array(2);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** Hash of a finite number (callers drop NaN and infinities first). */
export function hashNumber(value: number, out: HashOut): void {
  scratch[0] = value === 0 ? 0 : value;
  const lo = words[LOW];
  const hi = words[HIGH];
  const h1 = murmurMix32(Math.imul(lo, C1) ^ rotl(Math.imul(hi, C2), 13) ^ SEED_NUMBER);
  out[0] = h1;
  out[1] = murmurMix32(Math.imul(hi ^ 0x27d4eb2f, 0x165667b1) + Math.imul(lo ^ h1, 0x9e3779b1));
}

export function hashString(value: string, out: HashOut): void {
  let h = SEED_STRING;
  const length = value.length;
  const pairs = length & ~1;
  for (let i = 0; i < pairs; i += 2) {
    let k = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
    k = Math.imul(k, C1);
    k = rotl(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (pairs < length) {
    let k = value.charCodeAt(pairs);
    k = Math.imul(k, C1);
    k = rotl(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length * 2;
  const h1 = murmurMix32(h);
  out[0] = h1;
  out[1] = murmurMix32((h1 ^ 0x5bd1e995) + Math.imul(length + 1, 0x85ebca77));
}

export function hashBoolean(value: boolean, out: HashOut): void {
  const h1 = murmurMix32(value ? 0x7f4a7c15 : 0x3c6ef372);
  out[0] = h1;
  out[1] = murmurMix32(h1 ^ 0xa54ff53a);
}
