/** Label sets and their order, as numpy's np.unique / scikit-learn's unique_labels give them. */
import { PerformanceError } from './errors.js';
import type { Label } from './types.js';

/** Numbers ascending; strings by UTF-16 code unit, which is numpy's order for BMP text. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function uniqueSorted(...arrays: (readonly Label[])[]): Label[] {
  const seen = new Set<Label>();
  for (const array of arrays) for (const v of array) seen.add(v);
  return [...seen].sort(compareLabels);
}

/** Label → position in `labels`; a duplicate in `labels` is refused (scikit-learn does too). */
export function indexLabels(labels: readonly Label[]): Map<Label, number> {
  const index = new Map<Label, number>();
  labels.forEach((label, i) => {
    if (index.has(label)) throw new PerformanceError(`labels contains ${JSON.stringify(label)} twice`);
    index.set(label, i);
  });
  return index;
}
