import type { FeatureViewSpec } from '@capstan/contracts';
import { durationSeconds, type Duration } from './durations.js';
import type { Entity } from './entity.js';
import { FEATURE_OBJECT, metaOf, type Branded, type FeatureSet, type MetaOptions } from './feature-object.js';
import { toFieldSpecs, type RowOf, type Schema } from './schema.js';
import { selectFeatures, type FeatureSelection } from './selection.js';
import type { BatchSource, PushSource } from './sources.js';
import type { MergeAll } from './type-utils.js';

/** The join keys of a view's entities, as one row of TypeScript values. */
export type KeysOf<E extends readonly Entity[]> = MergeAll<E[number] extends infer X ? (X extends Entity<string, infer K> ? RowOf<K> : never) : never>;

type ViewTypes<N extends string, K extends object, S extends Schema> = { out: N; keys: K; request: Record<never, never>; row: RowOf<S> };

/** Features of some entities read from one source, with a time-to-live. */
export interface FeatureView<N extends string = string, K extends object = object, S extends Schema = Schema>
  extends Branded<'feature_view'>,
    FeatureSet<ViewTypes<N, K, S>> {
  readonly name: N;
  readonly entities: readonly Entity[];
  readonly source: BatchSource | PushSource;
  readonly schema: S;
  readonly spec: FeatureViewSpec;
  /** Some of the view's features, for a feature service; the names are checked against the schema. */
  select<F extends keyof S & string>(...features: F[]): FeatureSelection<{ out: N; keys: K; request: Record<never, never>; row: Pick<RowOf<S>, F> }>;
  /** Every feature, named `alias__feature` in full feature names. */
  withAlias<A extends string>(alias: A): FeatureSelection<ViewTypes<A, K, S>>;
}

export interface FeatureViewOptions<N extends string, E extends readonly Entity[], S extends Schema> extends MetaOptions {
  name: N;
  /** Their join keys are the view's keys; none for a view of global features. */
  entities: E;
  source: BatchSource | PushSource;
  /** The features; join keys and timestamps are not listed. */
  schema: S;
  /** How far back a row may lie from the time it is asked for; 0 or left out means forever. */
  ttl?: Duration;
  /** Materialized to and served from the online store; default true. */
  online?: boolean;
  /** An alert fires when the newest materialized row is older than this. */
  freshnessSla?: Duration;
  /** When set, the server materializes the view incrementally at this interval. */
  materializationInterval?: Duration;
}

export function featureView<const N extends string, const E extends readonly Entity[], const S extends Schema>(
  options: FeatureViewOptions<N, E, S>,
): FeatureView<N, KeysOf<E>, S> {
  const { name, entities, source, schema, ttl, online, freshnessSla, materializationInterval, ...meta } = options;
  const fields = toFieldSpecs(schema);
  const spec: FeatureViewSpec = {
    ...metaOf(name, meta),
    entities: entities.map((e) => e.name),
    source: source.name,
    schema: fields,
    ttl_seconds: ttl === undefined ? 0 : durationSeconds(ttl, `feature view ${name}: ttl`),
    online: online ?? true,
    ...(freshnessSla !== undefined ? { freshness_sla_seconds: durationSeconds(freshnessSla, `feature view ${name}: freshnessSla`) } : {}),
    ...(materializationInterval !== undefined
      ? { materialization_interval_seconds: durationSeconds(materializationInterval, `feature view ${name}: materializationInterval`) }
      : {}),
  };
  const view: FeatureView<N, KeysOf<E>, S> = {
    [FEATURE_OBJECT]: 'feature_view',
    name,
    entities,
    source,
    schema,
    spec,
    outName: name,
    outputs: fields.map(({ name: field, dtype }) => ({ name: field, dtype })),
    // Phantom types again: the selection object does not depend on them.
    select: (...features) => selectFeatures(view, features, undefined) as FeatureSelection<never>,
    withAlias: (alias) => selectFeatures(view, undefined, alias) as FeatureSelection<never>,
  };
  return view;
}
