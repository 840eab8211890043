import type { RuntimeTensor } from '../../../ports/inference-runtime.js';

/**
 * Which requests may share a run. Two requests batch together only when their `key`s are equal:
 * the same input names, element types and dimensions after the first, and the same requested
 * outputs. `rows` is the request's dim 0, which every one of its inputs shares.
 */
export interface BatchShape {
  readonly key: string;
  readonly rows: number;
}

/**
 * The batch shape of a request, or undefined when it must run alone: no inputs, a scalar input,
 * inputs whose dim 0 differ, or data whose length does not match its dims (joined with others,
 * such a request would shift every row after it; alone, the runtime rejects it with its own error).
 */
export function batchShape(
  feeds: Readonly<Record<string, RuntimeTensor>>,
  outputNames: readonly string[] | undefined,
): BatchShape | undefined {
  // Sorted, so that the order a client listed its inputs or outputs in does not split batches.
  const names = Object.keys(feeds).sort();
  if (names.length === 0) return undefined;
  const rows = feeds[names[0]].dims[0];
  const inputs: unknown[] = [];
  for (const name of names) {
    const { type, dims, data } = feeds[name];
    if (dims.length === 0 || dims[0] !== rows || elementCount(dims) !== data.length) return undefined;
    inputs.push(name, type, dims.slice(1));
  }
  const outputs = outputNames === undefined ? null : [...outputNames].sort();
  return { key: JSON.stringify([inputs, outputs]), rows };
}

/** The dim 0 of a request's first input (1 when it has none), for metrics of a request that runs alone. */
export function leadingRows(feeds: Readonly<Record<string, RuntimeTensor>>): number {
  for (const name in feeds) return feeds[name].dims[0] ?? 1;
  return 1;
}

/** The product of `dims`, or -1 when one is not a non-negative integer. */
function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) return -1;
    count *= d;
  }
  return count;
}
