/**
 * Where a sticky key falls on the [0, 100) line that routing weights divide up.
 *
 * The position depends on the key alone: the same key lands on the same spot in every process,
 * on every replica and after every restart. Changing this function moves every sticky caller at
 * once, so treat it as part of the wire behaviour.
 */
export function stableHashPercent(key: string): number {
  return mix(fnv1a(key)) / 2 ** 32 * 100;
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

/**
 * MurmurHash3's finaliser. FNV-1a alone leaves keys that differ only in their last character
 * (user-1, user-2...) close together in the high bits, which are the bits that pick the version.
 */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
