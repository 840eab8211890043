import type { FeatureDtype, FeatureObjectKind, FeatureObjectMeta } from '@capstan/contracts';

/**
 * Marks the objects the definition helpers return. A registered symbol rather than `instanceof`,
 * so the CLI recognizes objects made by another copy of the SDK (a repository's own node_modules).
 */
export const FEATURE_OBJECT: unique symbol = Symbol.for('capstan.features.object');

/** What a definition helper made: a registry object, a selection of a view's features, or a whole repository. */
export type FeatureObjectBrand = FeatureObjectKind | 'selection' | 'feature_repo';

export interface Branded<B extends FeatureObjectBrand> {
  readonly [FEATURE_OBJECT]: B;
}

export function isFeatureObject<B extends FeatureObjectBrand>(value: unknown, brand: B): value is Branded<B> {
  return typeof value === 'object' && value !== null && (value as Partial<Branded<FeatureObjectBrand>>)[FEATURE_OBJECT] === brand;
}

/** The documentation every registry object may carry. */
export interface MetaOptions {
  description?: string;
  tags?: Readonly<Record<string, string>>;
  /** Who to ask about it, usually an e-mail address. */
  owner?: string;
}

/** The wire metadata, leaving out what was not given. */
export function metaOf(name: string, options: MetaOptions): FeatureObjectMeta {
  return {
    name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.tags !== undefined ? { tags: { ...options.tags } } : {}),
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
  };
}

/**
 * What a view (or a selection of it) contributes to a lookup, for the compiler only: the name its
 * features are qualified with (`out__feature`), the join keys and request values the caller
 * supplies, and one row of its features.
 */
export interface FeatureSetTypes {
  out: string;
  keys: object;
  request: object;
  row: object;
}

/** A view, an on-demand view or a selection: something a feature service can list. */
export interface FeatureSet<T extends FeatureSetTypes = FeatureSetTypes> {
  /** Type-level only, never set. */
  readonly types?: T;
  /** The name features are qualified with: the view's, or its alias. */
  readonly outName: string;
  /** The selected features and their dtypes, in the order selected (schema order for a whole view). */
  readonly outputs: readonly { name: string; dtype: FeatureDtype }[];
}
