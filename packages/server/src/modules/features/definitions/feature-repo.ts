import type {
  DataSourceSpec,
  EntitySpec,
  FeatureDtype,
  FeatureRepoDefinition,
  FeatureServiceSpec,
  FeatureViewSpec,
  FieldSpec,
  OnDemandFeatureViewSpec,
} from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';

export type BatchSourceSpec = Extract<DataSourceSpec, { kind: 'file' | 'sql_table' }>;
export type PushSourceSpec = Extract<DataSourceSpec, { kind: 'push' }>;
export type RequestSourceSpec = Extract<DataSourceSpec, { kind: 'request' }>;

/** One feature asked for: where it comes from and what the result calls it. */
export interface FeatureSelection {
  /** The feature view or on-demand view holding it. */
  view: string;
  viewKind: 'feature_view' | 'on_demand_feature_view';
  feature: string;
  dtype: FeatureDtype;
  /** `feature`, or `alias__feature` / `view__feature` with full feature names. */
  outputName: string;
}

/** A field an on-demand view's transformation sees, and where it comes from. */
export interface OnDemandInput {
  name: string;
  dtype: FeatureDtype;
  from: { view: string } | { request: string };
}

/**
 * A project's definitions with every reference checked and indexed: what apply stores and what
 * retrieval, materialization and serving read. Construction throws INVALID_PARAMETER_VALUE naming
 * the first broken reference, so a stored repository is always consistent.
 */
export class FeatureRepo {
  readonly entities: ReadonlyMap<string, EntitySpec>;
  readonly sources: ReadonlyMap<string, DataSourceSpec>;
  readonly views: ReadonlyMap<string, FeatureViewSpec>;
  readonly onDemandViews: ReadonlyMap<string, OnDemandFeatureViewSpec>;
  readonly services: ReadonlyMap<string, FeatureServiceSpec>;

  constructor(readonly definition: FeatureRepoDefinition) {
    this.entities = indexByName(definition.entities, 'entity');
    this.sources = indexByName(definition.data_sources, 'data source');
    this.views = indexByName(definition.feature_views, 'feature view');
    this.onDemandViews = indexByName(definition.on_demand_feature_views, 'on-demand feature view');
    this.services = indexByName(definition.feature_services, 'feature service');
    for (const name of this.onDemandViews.keys()) {
      if (this.views.has(name)) throw invalidParameter(`'${name}' names both a feature view and an on-demand feature view: feature references must be unambiguous`);
    }
    for (const e of definition.entities) uniqueNames(e.join_keys, `entity '${e.name}' join keys`);
    for (const s of definition.data_sources) this.checkSource(s);
    for (const v of definition.feature_views) this.checkView(v);
    for (const o of definition.on_demand_feature_views) this.checkOnDemandView(o);
    for (const s of definition.feature_services) this.checkService(s);
  }

  get project(): string {
    return this.definition.project;
  }

  view(name: string): FeatureViewSpec {
    const view = this.views.get(name);
    if (!view) throw notFound(`Feature view '${name}' not found in project '${this.project}'`);
    return view;
  }

  /** The view's join keys: its entities' keys, in the order the entities are listed. */
  joinKeysOf(view: FeatureViewSpec): FieldSpec[] {
    return view.entities.flatMap((e) => this.entities.get(e)!.join_keys);
  }

  /** The batch source holding a view's rows offline (a push source's batch source). */
  batchSourceOf(view: FeatureViewSpec): BatchSourceSpec {
    const source = this.sources.get(view.source)!;
    return (source.kind === 'push' ? this.sources.get(source.batch_source)! : source) as BatchSourceSpec;
  }

  /** Feature views fed by a push source. */
  viewsPushedBy(pushSource: string): FeatureViewSpec[] {
    const source = this.sources.get(pushSource);
    if (!source || source.kind !== 'push') throw notFound(`Push source '${pushSource}' not found in project '${this.project}'`);
    return [...this.views.values()].filter((v) => v.source === pushSource);
  }

  /** The fields an on-demand view's transformation sees, by name, with where each comes from. */
  onDemandInputs(view: OnDemandFeatureViewSpec): OnDemandInput[] {
    return view.sources.flatMap((name): OnDemandInput[] => {
      const featureView = this.views.get(name);
      if (featureView) return featureView.schema.map((f) => ({ name: f.name, dtype: f.dtype, from: { view: name } }));
      const request = this.sources.get(name) as RequestSourceSpec;
      return request.schema.map((f) => ({ name: f.name, dtype: f.dtype, from: { request: name } }));
    });
  }

  /**
   * `view:feature` references or a service's projections, resolved. Without full feature names two
   * features of one name would overwrite each other: that is refused, naming both.
   */
  select(request: { features?: readonly string[]; featureService?: string; fullFeatureNames?: boolean }): FeatureSelection[] {
    const full = request.fullFeatureNames ?? false;
    if (request.features !== undefined && (!Array.isArray(request.features) || request.features.some((f) => typeof f !== 'string'))) {
      throw invalidParameter('features must be an array of "view:feature" strings');
    }
    if (request.featureService !== undefined && typeof request.featureService !== 'string') throw invalidParameter('feature_service must be a string');
    let selections: FeatureSelection[];
    if (request.featureService !== undefined) {
      if (request.features?.length) throw invalidParameter('Give either features or feature_service, not both');
      const service = this.services.get(request.featureService);
      if (!service) throw notFound(`Feature service '${request.featureService}' not found in project '${this.project}'`);
      selections = service.features.flatMap((p) => {
        const schema = this.schemaOf(p.view)!;
        const names = p.features ?? schema.fields.map((f) => f.name);
        return names.map((feature) => this.selection(p.view, feature, full, p.alias));
      });
    } else {
      if (!request.features?.length) throw invalidParameter('Give features (view:feature references) or feature_service');
      selections = request.features.map((ref) => {
        const colon = ref.indexOf(':');
        if (colon <= 0 || colon === ref.length - 1) throw invalidParameter(`Feature reference '${ref}' must be 'view:feature'`);
        const view = ref.slice(0, colon);
        if (!this.schemaOf(view)) throw notFound(`Feature view '${view}' of reference '${ref}' not found in project '${this.project}'`);
        return this.selection(view, ref.slice(colon + 1), full);
      });
    }
    const seen = new Map<string, FeatureSelection>();
    for (const s of selections) {
      const other = seen.get(s.outputName);
      if (other) {
        throw invalidParameter(
          `Feature name collision: '${s.outputName}' comes from both '${other.view}:${other.feature}' and '${s.view}:${s.feature}'` +
            (full ? '' : '; set full_feature_names to name them view__feature'),
        );
      }
      seen.set(s.outputName, s);
    }
    return selections;
  }

  private selection(view: string, feature: string, full: boolean, alias?: string): FeatureSelection {
    const schema = this.schemaOf(view)!;
    const field = schema.fields.find((f) => f.name === feature);
    if (!field) throw notFound(`Feature '${feature}' not found in ${schema.kind === 'feature_view' ? 'feature view' : 'on-demand feature view'} '${view}'`);
    return { view, viewKind: schema.kind, feature, dtype: field.dtype, outputName: full ? `${alias ?? view}__${feature}` : feature };
  }

  private schemaOf(view: string): { kind: FeatureSelection['viewKind']; fields: readonly FieldSpec[] } | undefined {
    const featureView = this.views.get(view);
    if (featureView) return { kind: 'feature_view', fields: featureView.schema };
    const onDemand = this.onDemandViews.get(view);
    return onDemand ? { kind: 'on_demand_feature_view', fields: onDemand.schema } : undefined;
  }

  private checkSource(source: DataSourceSpec): void {
    if (source.kind === 'push') {
      const batch = this.sources.get(source.batch_source);
      if (!batch) throw invalidParameter(`Push source '${source.name}': batch source '${source.batch_source}' is not defined`);
      if (batch.kind !== 'file' && batch.kind !== 'sql_table') throw invalidParameter(`Push source '${source.name}': batch source '${source.batch_source}' must be a file or sql_table source, not ${batch.kind}`);
    } else if (source.kind === 'request') {
      uniqueNames(source.schema, `request source '${source.name}' schema`);
    } else if (source.field_mapping) {
      const targets = Object.values(source.field_mapping);
      const twice = targets.find((t, i) => targets.indexOf(t) !== i);
      if (twice !== undefined) throw invalidParameter(`Data source '${source.name}': field_mapping maps two columns to '${twice}'`);
    }
  }

  private checkView(view: FeatureViewSpec): void {
    const where = `Feature view '${view.name}'`;
    for (const e of view.entities) if (!this.entities.has(e)) throw invalidParameter(`${where}: entity '${e}' is not defined`);
    if (new Set(view.entities).size !== view.entities.length) throw invalidParameter(`${where}: an entity is listed twice`);
    const source = this.sources.get(view.source);
    if (!source) throw invalidParameter(`${where}: data source '${view.source}' is not defined`);
    if (source.kind === 'request') throw invalidParameter(`${where}: a request source feeds only on-demand feature views`);
    const keys = this.joinKeysOf(view);
    uniqueNames(keys, `${where} join keys (from its entities)`);
    uniqueNames(view.schema, `${where} schema`);
    const clash = view.schema.find((f) => keys.some((k) => k.name === f.name));
    if (clash) throw invalidParameter(`${where}: feature '${clash.name}' has the name of a join key`);
    if (view.freshness_sla_seconds !== undefined && !view.online) throw invalidParameter(`${where}: a freshness SLA needs online: true (freshness is of materialized data)`);
    if (view.materialization_interval_seconds !== undefined && !view.online) throw invalidParameter(`${where}: materialization needs online: true`);
  }

  private checkOnDemandView(onDemand: OnDemandFeatureViewSpec): void {
    const where = `On-demand feature view '${onDemand.name}'`;
    for (const name of onDemand.sources) {
      const source = this.sources.get(name);
      if (!this.views.has(name) && source?.kind !== 'request') throw invalidParameter(`${where}: source '${name}' must be a feature view or a request source`);
    }
    uniqueNames(this.onDemandInputs(onDemand), `${where} inputs (the fields of its sources)`);
    uniqueNames(onDemand.schema, `${where} schema`);
  }

  private checkService(service: FeatureServiceSpec): void {
    const where = `Feature service '${service.name}'`;
    for (const p of service.features) {
      const schema = this.schemaOf(p.view);
      if (!schema) throw invalidParameter(`${where}: feature view '${p.view}' is not defined`);
      for (const f of p.features ?? []) {
        if (!schema.fields.some((s) => s.name === f)) throw invalidParameter(`${where}: '${p.view}' has no feature '${f}'`);
      }
    }
  }
}

function indexByName<T extends { name: string }>(items: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.name)) throw invalidParameter(`Two ${what} definitions are named '${item.name}'`);
    map.set(item.name, item);
  }
  return map;
}

function uniqueNames(fields: readonly { name: string }[], what: string): void {
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw invalidParameter(`${what}: '${f.name}' appears twice`);
    seen.add(f.name);
  }
}
