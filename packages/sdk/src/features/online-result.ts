import type { FeatureDtype, FeatureValue, GetOnlineFeaturesResponse, OnlineFeatureStatus } from '@capstan/contracts';
import type { FeatureService, ServiceOutput } from './feature-service.js';
import type { MergeAll, Simplify } from './type-utils.js';
import { decodeValue } from './wire-values.js';

type TypesOf<S> = S extends FeatureService<string, infer T> ? T : never;

/** Every selected feature by bare name. */
type BareRow<V> = MergeAll<V[keyof V]>;
/** Every selected feature as `view__feature` (or `alias__feature`). */
type FullRow<V> = MergeAll<{ [O in keyof V & string]: { [F in keyof V[O] & string as `${O}__${F}`]: V[O][F] } }[keyof V & string]>;

type Features<S, Full extends boolean> = Full extends true ? FullRow<TypesOf<S>['views']> : BareRow<TypesOf<S>['views']>;

/** The columns a lookup by `S` returns: join keys, then features (null where a row has none). */
export type ServiceColumns<S extends FeatureService, Full extends boolean = false> = Simplify<
  { [K in keyof TypesOf<S>['keys']]: TypesOf<S>['keys'][K][] } & { [F in keyof Features<S, Full>]: (Features<S, Full>[F] | null)[] }
>;

/** What a lookup by `S` takes: each join key and request value as a column, one entry per entity row. */
export type ServiceEntities<S extends FeatureService> = Simplify<
  { [K in keyof TypesOf<S>['keys']]: readonly TypesOf<S>['keys'][K][] } & { [R in keyof TypesOf<S>['request']]: readonly TypesOf<S>['request'][R][] }
>;

/**
 * An online lookup's answer, column-major like Feast's: `values.conv_rate[i]` is the feature of
 * the i-th entity row, `statuses.conv_rate[i]` whether it was found (and fresh), and
 * `eventTimestamps.conv_rate[i]` when it happened (1970 for join keys and rows not found).
 */
export interface OnlineFeatures<C extends object = Record<string, FeatureValue[]>> {
  readonly values: C;
  readonly statuses: { readonly [K in keyof C]: OnlineFeatureStatus[] };
  readonly eventTimestamps: { readonly [K in keyof C]: Date[] };
  /** Feast's JSON as received. */
  readonly response: GetOnlineFeaturesResponse;
}

/** Column name -> dtype of a service's outputs, named as the lookup names them. */
export function serviceColumnDtypes(outputs: readonly ServiceOutput[], fullFeatureNames: boolean): Map<string, FeatureDtype> {
  return new Map(outputs.map((o) => [fullFeatureNames ? `${o.out}__${o.name}` : o.name, o.dtype]));
}

/** Feast's response by column name, values decoded where the dtype is known. */
export function toOnlineFeatures<C extends object>(response: GetOnlineFeaturesResponse, dtypes: ReadonlyMap<string, FeatureDtype>): OnlineFeatures<C> {
  const values: Record<string, unknown[]> = {};
  const statuses: Record<string, OnlineFeatureStatus[]> = {};
  const eventTimestamps: Record<string, Date[]> = {};
  for (const [i, name] of response.metadata.feature_names.entries()) {
    const result = response.results[i];
    if (!result) continue;
    const dtype = dtypes.get(name);
    values[name] = dtype ? result.values.map((v) => decodeValue(dtype, v)) : result.values;
    statuses[name] = result.statuses;
    eventTimestamps[name] = result.event_timestamps.map((t) => new Date(t));
  }
  // The keys come from the service's own definition, which the server answers with.
  return { values, statuses, eventTimestamps, response } as unknown as OnlineFeatures<C>;
}
