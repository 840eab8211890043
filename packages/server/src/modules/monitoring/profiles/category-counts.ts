/**
 * Per-category counts of two profiles over the union of their categories, in the drift library's
 * category order, for chi-square, z, Jensen-Shannon, PSI, KL and Hellinger on categorical columns.
 *
 * - Numbers: exact counts while the profile kept them (few distinct values), else the KLL sketch's
 *   weighted items (each retained value a category).
 * - Strings and booleans: the frequent-items counts. They are exact while the sketch never purged;
 *   after a purge each kept count is a lower bound (short by at most the sketch's offset), and the
 *   weight of everything not kept goes to one extra bucket, OTHER, sorted last, on both sides.
 *   A category only one side kept counts 0 on the other side (its true count there is at most that
 *   side's offset).
 */
import type { ColumnProfile } from './column-profile.js';
import { compareCategories, type Category } from './drift-internals.js';
import type { WeightedSample } from './weighted-sample.js';

/** The bucket holding the weight of categories a purged frequent-items sketch no longer counts. */
export const OTHER_CATEGORIES = Symbol('other categories');

export type ProfileCategory = Category | typeof OTHER_CATEGORIES;

export interface ProfileCategoryCounts {
  readonly keys: readonly ProfileCategory[];
  readonly reference: Float64Array;
  readonly current: Float64Array;
  /** Both sides' counts are exact. */
  readonly exact: boolean;
}

interface SideCounts {
  readonly counts: Map<Category, number>;
  /** Weight not attributed to any kept category. */
  readonly other: number;
  readonly exact: boolean;
}

function sideCounts(profile: ColumnProfile, numbers: WeightedSample | undefined): SideCounts {
  const counts = new Map<Category, number>();
  let exact = true;
  if (numbers) {
    for (let i = 0; i < numbers.values.length; i++) counts.set(numbers.values[i], numbers.weights[i]);
    exact = numbers.exact;
  }
  let kept = 0;
  for (const [item, count] of profile.items.entries()) {
    counts.set(item, count);
    kept += count;
  }
  const other = profile.items.total - kept;
  return { counts, other, exact: exact && profile.items.isExact };
}

/**
 * Counts for a pair. `numbers` are the numeric samples of each side when the column is numerical
 * (then only numbers count), undefined for a categorical column (then numbers and items count).
 */
export function categoryCounts(
  reference: ColumnProfile,
  current: ColumnProfile,
  numbers: { reference: WeightedSample | undefined; current: WeightedSample | undefined },
  numericalColumn: boolean,
): ProfileCategoryCounts {
  let ref: SideCounts;
  let cur: SideCounts;
  if (numericalColumn) {
    const toCounts = (sample: WeightedSample | undefined): SideCounts => {
      const counts = new Map<Category, number>();
      if (sample) for (let i = 0; i < sample.values.length; i++) counts.set(sample.values[i], sample.weights[i]);
      return { counts, other: 0, exact: sample?.exact ?? true };
    };
    ref = toCounts(numbers.reference);
    cur = toCounts(numbers.current);
  } else {
    ref = sideCounts(reference, reference.counts.numberCount > 0 ? numbers.reference : undefined);
    cur = sideCounts(current, current.counts.numberCount > 0 ? numbers.current : undefined);
  }
  const keys: ProfileCategory[] = [...new Set<Category>([...ref.counts.keys(), ...cur.counts.keys()])].sort(compareCategories);
  const withOther = ref.other > 0 || cur.other > 0;
  if (withOther) keys.push(OTHER_CATEGORIES);
  const referenceCounts = new Float64Array(keys.length);
  const currentCounts = new Float64Array(keys.length);
  keys.forEach((key, i) => {
    if (key === OTHER_CATEGORIES) {
      referenceCounts[i] = ref.other;
      currentCounts[i] = cur.other;
    } else {
      referenceCounts[i] = ref.counts.get(key) ?? 0;
      currentCounts[i] = cur.counts.get(key) ?? 0;
    }
  });
  return { keys, reference: referenceCounts, current: currentCounts, exact: ref.exact && cur.exact };
}
