import { murmurMix32 } from '../../../core/murmur-mix.js';

/**
 * Where a sticky key falls on the [0, 100) line that routing weights divide up.
 *
 * The position depends on the key alone: the same key lands on the same spot in every process,
 * on every replica and after every restart. Changing this function moves every sticky caller at
 * once, so treat it as part of the wire behaviour.
 */
export function stableHashPercent(key: string): number {
  // FNV-1a alone leaves keys that differ only in their last character (user-1, user-2...) close
  // together in the high bits, which are the bits that pick the version: the finaliser spreads them.
  return murmurMix32(fnv1a(key)) / 2 ** 32 * 100;
}

/** FNV-1a over UTF-16 code units: no allocation per call, unlike encoding the key to bytes. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
