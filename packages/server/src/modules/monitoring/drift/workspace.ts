/**
 * Scratch buffers that one comparison reuses from column to column. A dataset of 50 columns of a
 * million values would otherwise allocate a few hundred 8 MB typed arrays; each allocation counts
 * as external memory to V8, which answers with full garbage collections whose cost grows with
 * everything else on the caller's heap (the columns themselves). Buffers are named slots, grown
 * when a longer column comes and handed out as views of the requested length: what a slot held
 * is overwritten by the next request for it, so a view must not outlive the column it was taken
 * for. Nothing here is shared between calls.
 */
export class Workspace {
  private readonly float64Slots = new Map<string, Float64Array>();
  private readonly uint32Slots = new Map<string, Uint32Array>();

  /** A Float64Array view of `length` values in slot `slot` (contents unspecified). */
  float64(slot: string, length: number): Float64Array {
    let buffer = this.float64Slots.get(slot);
    if (!buffer || buffer.length < length) {
      buffer = new Float64Array(length);
      this.float64Slots.set(slot, buffer);
    }
    return buffer.subarray(0, length);
  }

  /** A Uint32Array view of `length` values in slot `slot` (contents unspecified). */
  uint32(slot: string, length: number): Uint32Array {
    let buffer = this.uint32Slots.get(slot);
    if (!buffer || buffer.length < length) {
      buffer = new Uint32Array(length);
      this.uint32Slots.set(slot, buffer);
    }
    return buffer.subarray(0, length);
  }
}
