/**
 * Whether a request belongs to the logged sample. Decided by a hash of the request id rather than a
 * random draw, so every part of the system (the log writer, a replica, a label pipeline that wants
 * to skip labels nobody will join) reaches the same answer for the same request without sharing
 * state.
 */
export function isSampled(requestId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return fnv1a32(requestId) / 2 ** 32 < rate;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across processes, spreads ids evenly. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
