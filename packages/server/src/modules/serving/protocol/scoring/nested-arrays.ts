/**
 * Nested JSON arrays as tensors, both ways: the v1 and MLflow formats carry a tensor's shape only
 * in how its lists nest, so reading one means checking that every list at a level is as long as
 * its siblings; writing one means nesting a flat row-major buffer back into lists.
 */
import { describeValue } from '../json-elements.js';
import { badRequest } from './bad-request.js';

export interface RegularArray {
  shape: number[];
  /** The innermost values, row-major. */
  flat: readonly unknown[];
}

/** `[1][0]`: the multi-index of the `index`-th item of a level whose enclosing dimensions are `dims`. */
export function indexPath(index: number, dims: readonly number[]): string {
  const parts: number[] = [];
  let rest = index;
  for (let axis = dims.length - 1; axis >= 0; axis -= 1) {
    const size = dims[axis] as number;
    parts.unshift(size === 0 ? 0 : rest % size);
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return parts.map((p) => `[${p}]`).join('');
}

/**
 * Reads nested arrays level by level (no recursion, so deep nesting cannot overflow the stack):
 * each level's lists must all have one length, or all be values. Concatenating a level's lists
 * keeps row-major order, so the last level is the flat data. `label` starts every message.
 */
export function readNestedArray(value: readonly unknown[], label: string): RegularArray {
  const shape = [value.length];
  let items: readonly unknown[] = value;
  while (items.length > 0 && Array.isArray(items[0])) {
    const width = (items[0] as readonly unknown[]).length;
    const next: unknown[] = [];
    items.forEach((item, i) => {
      if (!Array.isArray(item)) {
        badRequest(`${label}: element ${indexPath(i, shape)} is ${describeValue(item)} where element ${indexPath(0, shape)} is a list; the lists must nest evenly`);
      }
      if (item.length !== width) {
        badRequest(`${label}: element ${indexPath(i, shape)} has ${item.length} entries where element ${indexPath(0, shape)} has ${width}; ragged lists are not a tensor`);
      }
      for (const inner of item) next.push(inner);
    });
    shape.push(width);
    items = next;
  }
  items.forEach((item, i) => {
    if (Array.isArray(item)) {
      badRequest(`${label}: element ${indexPath(i, shape)} is a list where element ${indexPath(0, shape)} is ${describeValue(items[0])}; the lists must nest evenly`);
    }
  });
  return { shape, flat: items };
}

/**
 * The inverse: a flat row-major buffer as nested lists of `shape` (a scalar for `[]`, a flat list
 * for one dimension). Groups from the innermost dimension out, which also handles zero sizes.
 */
export function nestRowMajor<T>(flat: readonly T[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  let level: unknown[] = [...flat];
  for (let axis = shape.length - 1; axis >= 1; axis -= 1) {
    const size = shape[axis] as number;
    const count = shape.slice(0, axis).reduce((n, d) => n * d, 1);
    level = Array.from({ length: count }, (_, i) => level.slice(i * size, (i + 1) * size));
  }
  return level;
}
