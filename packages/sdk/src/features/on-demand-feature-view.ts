import type { OnDemandFeatureViewSpec } from '@capstan/contracts';
import { FEATURE_OBJECT, metaOf, type Branded, type FeatureSet, type MetaOptions } from './feature-object.js';
import type { FeatureView } from './feature-view.js';
import { toFieldSpecs, type JsonRowOf, type RowOf, type Schema, type TransformOutput } from './schema.js';
import { selectFeatures, type FeatureSelection } from './selection.js';
import { transformationSource } from './transformation.js';
import type { RequestSource } from './sources.js';
import type { MergeAll } from './type-utils.js';

/** What an on-demand view computes from: other views' features and request values. */
export type OnDemandSource = FeatureView | RequestSource;

/** One row of a transformation's inputs, as JSON values: every source's fields by bare name. */
export type TransformRow<Srcs extends readonly OnDemandSource[]> = MergeAll<
  Srcs[number] extends infer X ? (X extends FeatureView<string, object, infer S> | RequestSource<string, infer S> ? JsonRowOf<S> : never) : never
>;

/** The join keys of the source views. */
export type TransformKeys<Srcs extends readonly OnDemandSource[]> = MergeAll<
  Srcs[number] extends infer X ? (X extends FeatureView<string, infer K> ? K : never) : never
>;

/** The request values the caller supplies. */
export type TransformRequest<Srcs extends readonly OnDemandSource[]> = MergeAll<
  Srcs[number] extends infer X ? (X extends RequestSource<string, infer S> ? RowOf<S> : never) : never
>;

type OdfvTypes<N extends string, K extends object, R extends object, S extends Schema> = { out: N; keys: K; request: R; row: RowOf<S> };

/** Features computed at request time by a transformation the server runs. */
export interface OnDemandFeatureView<
  N extends string = string,
  K extends object = object,
  R extends object = object,
  S extends Schema = Schema,
  In extends object = object,
> extends Branded<'on_demand_feature_view'>,
    FeatureSet<OdfvTypes<N, K, R, S>> {
  readonly name: N;
  readonly sources: readonly OnDemandSource[];
  readonly schema: S;
  /** The transformation as written, e.g. to unit-test it locally. A method, so any view is an `OnDemandFeatureView`. */
  transform(row: In): TransformOutput<S>;
  readonly spec: OnDemandFeatureViewSpec;
  select<F extends keyof S & string>(...features: F[]): FeatureSelection<{ out: N; keys: K; request: R; row: Pick<RowOf<S>, F> }>;
  withAlias<A extends string>(alias: A): FeatureSelection<OdfvTypes<A, K, R, S>>;
}

export interface OnDemandFeatureViewOptions<N extends string, Srcs extends readonly OnDemandSource[], S extends Schema> extends MetaOptions {
  name: N;
  sources: Srcs;
  /** The outputs. */
  schema: S;
  /**
   * One row of inputs to the outputs. It is sent as source text (`transform.toString()`) and run
   * by the server in an isolated context: write a self-contained arrow function or function
   * expression that uses nothing but its argument and JavaScript's built-ins (no imports, no
   * variables of the module it is written in, no helpers a bundler adds). Rows cross into it as
   * JSON, so timestamps are ISO 8601 text and bytes base64 text, in and out. The input types
   * leave out null for plain arithmetic, but a feature missing for an entity arrives as null
   * (and `null + 1` is 1): guard where that can happen, and return null for an output you cannot compute.
   */
  transform: (row: TransformRow<Srcs>) => TransformOutput<S>;
}

export function onDemandFeatureView<const N extends string, const Srcs extends readonly OnDemandSource[], const S extends Schema>(
  options: OnDemandFeatureViewOptions<N, Srcs, S>,
): OnDemandFeatureView<N, TransformKeys<Srcs>, TransformRequest<Srcs>, S, TransformRow<Srcs>> {
  const { name, sources, schema, transform, ...meta } = options;
  const fields = toFieldSpecs(schema);
  const view: OnDemandFeatureView<N, TransformKeys<Srcs>, TransformRequest<Srcs>, S, TransformRow<Srcs>> = {
    [FEATURE_OBJECT]: 'on_demand_feature_view',
    name,
    sources,
    schema,
    transform,
    spec: { ...metaOf(name, meta), sources: sources.map((s) => s.name), schema: fields, transformation: transformationSource(transform) },
    outName: name,
    outputs: fields.map(({ name: field, dtype }) => ({ name: field, dtype })),
    // The selection object does not depend on the phantom types.
    select: (...features) => selectFeatures(view, features, undefined) as FeatureSelection<never>,
    withAlias: (alias) => selectFeatures(view, undefined, alias) as FeatureSelection<never>,
  };
  return view;
}
