import type { FeatureDtype, FeatureServiceSpec } from '@capstan/contracts';
import { FEATURE_OBJECT, isFeatureObject, metaOf, type Branded, type FeatureSet, type FeatureSetTypes, type MetaOptions } from './feature-object.js';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import { selectFeatures, type FeatureSelection } from './selection.js';
import type { MergeAll } from './type-utils.js';

/** What a feature service lists: whole views, on-demand views, or selections of them. */
export type ServiceItem = FeatureView | OnDemandFeatureView | FeatureSelection;

/**
 * What a service's lookups take and give, for the compiler: the join keys and request values the
 * caller supplies, and per view (or alias) one row of its selected features.
 */
export interface ServiceTypes {
  keys: object;
  request: object;
  views: object;
}

type ItemTypes<I> = I extends FeatureSet<infer T> ? T : never;
type ViewRow<T> = T extends FeatureSetTypes ? { [O in T['out']]: T['row'] } : never;

export type ServiceTypesOf<Items extends readonly ServiceItem[]> = {
  keys: MergeAll<ItemTypes<Items[number]>['keys']>;
  request: MergeAll<ItemTypes<Items[number]>['request']>;
  views: MergeAll<ViewRow<ItemTypes<Items[number]>>>;
};

/** One output column of a service, before naming: its view (or alias), feature and dtype. */
export interface ServiceOutput {
  out: string;
  name: string;
  dtype: FeatureDtype;
}

/** The named feature set a model is trained and served with. */
export interface FeatureService<N extends string = string, T extends ServiceTypes = ServiceTypes> extends Branded<'feature_service'> {
  readonly name: N;
  /** Type-level only, never set. */
  readonly types?: T;
  /** Every item as a selection (a whole view is a selection of all its features). */
  readonly features: readonly FeatureSelection[];
  readonly outputs: readonly ServiceOutput[];
  readonly spec: FeatureServiceSpec;
}

export function featureService<const N extends string, const Items extends readonly ServiceItem[]>(
  options: { name: N; features: Items } & MetaOptions,
): FeatureService<N, ServiceTypesOf<Items>> {
  const { name, features, ...meta } = options;
  const selections = features.map((item) => (isFeatureObject(item, 'selection') ? (item as FeatureSelection) : selectFeatures(item as FeatureView, undefined, undefined)));
  return {
    [FEATURE_OBJECT]: 'feature_service',
    name,
    features: selections,
    outputs: selections.flatMap((s) => s.outputs.map((o) => ({ out: s.outName, name: o.name, dtype: o.dtype }))),
    spec: { ...metaOf(name, meta), features: selections.map((s) => s.spec) },
  };
}
