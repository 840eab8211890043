import type { FeatureViewProjection } from '@capstan/contracts';
import { FEATURE_OBJECT, type Branded, type FeatureSet, type FeatureSetTypes } from './feature-object.js';

/** Some features of a view (or all of them under another name), for a feature service. */
export interface FeatureSelection<T extends FeatureSetTypes = FeatureSetTypes> extends Branded<'selection'>, FeatureSet<T> {
  /** The view the features come from; collected into the repository with the service. */
  readonly view: SelectableView;
  readonly spec: FeatureViewProjection;
  /** Names the selected features `alias__feature` in full feature names, e.g. to use one view twice. */
  withAlias<A extends string>(alias: A): FeatureSelection<Renamed<T, A>>;
}

/** What a selection needs of a view or an on-demand view. */
export type SelectableView = Branded<'feature_view' | 'on_demand_feature_view'> & Pick<FeatureSet, 'outName' | 'outputs'> & { readonly name: string };

export type Renamed<T extends FeatureSetTypes, A extends string> = { out: A; keys: T['keys']; request: T['request']; row: T['row'] };

/** `view.select(...)` and `view.withAlias(...)`: every feature unless `features` are named. */
export function selectFeatures(view: SelectableView, features: readonly string[] | undefined, alias: string | undefined): FeatureSelection {
  if (features !== undefined) {
    if (features.length === 0) throw new TypeError(`${view.name}.select(): name at least one feature`);
    const unknown = features.filter((name) => !view.outputs.some((output) => output.name === name));
    if (unknown.length) throw new TypeError(`${view.name}.select(): ${unknown.join(', ')} not in the view's schema`);
  }
  const outputs = features === undefined ? view.outputs : features.map((name) => view.outputs.find((output) => output.name === name)!);
  return {
    [FEATURE_OBJECT]: 'selection',
    view,
    outName: alias ?? view.name,
    outputs,
    spec: { view: view.name, ...(features !== undefined ? { features: [...features] } : {}), ...(alias !== undefined ? { alias } : {}) },
    // The types are phantoms chosen by the caller's signature; the object is the same for any of them.
    withAlias: (newAlias) => selectFeatures(view, features, newAlias) as FeatureSelection<never>,
  };
}
