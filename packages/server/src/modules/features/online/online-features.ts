import type { FeatureValue, FeatureViewSpec, GetOnlineFeaturesRequest, GetOnlineFeaturesResponse, OnlineFeatureStatus } from '@capstan/contracts';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import type { OnlineRecord, OnlineStore } from '../../../ports/online-store.js';
import type { FeatureSelection } from '../definitions/feature-repo.js';
import type { LoadedProject } from '../registry/registry-cache.js';
import { cellFromJson, cellToJson, isoTime } from '../values/cells.js';
import { EntityColumns } from './entity-columns.js';

const EPOCH = '1970-01-01T00:00:00Z';

type Column = GetOnlineFeaturesResponse['results'][number];

/**
 * Feast's online read: join keys first, then each requested feature, column-major over the
 * entities, with a status per value. A view's TTL is enforced against now: an older row is
 * OUTSIDE_MAX_AGE and its value null. On-demand views run on the fetched features and the request
 * data (`entities` columns that are not join keys).
 */
export async function getOnlineFeatures(
  loaded: LoadedProject,
  store: OnlineStore,
  request: GetOnlineFeaturesRequest,
  now: number,
): Promise<GetOnlineFeaturesResponse> {
  const { repo } = loaded;
  const selections = selectionsOf(loaded, request);
  const entities = new EntityColumns(request.entities);

  // Views read: those selected from directly and those feeding selected on-demand views.
  const viewNames = new Set<string>();
  for (const s of selections) {
    if (s.viewKind === 'feature_view') viewNames.add(s.view);
    else for (const source of repo.onDemandViews.get(s.view)!.sources) if (repo.views.has(source)) viewNames.add(source);
  }
  const views = [...viewNames].map((name) => repo.view(name));
  const fetched = await readViews(loaded, store, views, entities, now);

  const joinKeyNames = [...new Set(views.flatMap((v) => repo.joinKeysOf(v).map((k) => k.name)))];
  const names: string[] = [];
  const results: Column[] = [];
  for (const key of joinKeyNames) {
    if (!entities.has(key)) continue;
    names.push(key);
    const dtype = joinKeyDtype(loaded, views, key);
    const values = entities.column(key, dtype, 'join key', false).map((cell) => cellToJson(cell, dtype));
    results.push({ values, statuses: fill(entities.rows, 'PRESENT'), event_timestamps: fill(entities.rows, EPOCH) });
  }
  const onDemandOutputs = runOnDemandViews(loaded, selections, fetched, entities);
  for (const s of selections) {
    names.push(s.outputName);
    results.push(s.viewKind === 'feature_view' ? fetched.get(s.view)!.column(s.feature) : onDemandOutputs.get(s.view)!.column(s.feature));
  }
  return { metadata: { feature_names: names }, results };
}

function joinKeyDtype(loaded: LoadedProject, views: readonly FeatureViewSpec[], key: string) {
  for (const v of views) {
    const field = loaded.repo.joinKeysOf(v).find((k) => k.name === key);
    if (field) return field.dtype;
  }
  throw new CapstanError('INTERNAL_ERROR', `join key '${key}' belongs to no view read`);
}

const fill = <T>(n: number, value: T): T[] => new Array<T>(n).fill(value);

/** Distinct request shapes kept per project revision; beyond it selections are resolved each time. */
const MAX_CACHED_SELECTIONS = 1000;

/** The request's features resolved against the project, cached by request shape for this revision. */
function selectionsOf(loaded: LoadedProject, request: GetOnlineFeaturesRequest): FeatureSelection[] {
  const full = request.full_feature_names === true;
  const key = request.feature_service !== undefined && !request.features?.length ? `s${full ? 1 : 0}${request.feature_service}` : Array.isArray(request.features) ? `f${full ? 1 : 0}${request.features.join('\u0000')}` : undefined;
  const cached = key === undefined ? undefined : loaded.selections.get(key);
  if (cached) return cached;
  const selections = loaded.repo.select({
    ...(request.features !== undefined ? { features: request.features } : {}),
    ...(request.feature_service !== undefined ? { featureService: request.feature_service } : {}),
    fullFeatureNames: full,
  });
  if (key !== undefined && loaded.selections.size < MAX_CACHED_SELECTIONS) loaded.selections.set(key, selections);
  return selections;
}

/** A view's rows for the request's entities, decoded once, answering per feature column. */
class ViewRows {
  constructor(
    private readonly rows: (Record<string, FeatureValue> | undefined)[],
    private readonly statuses: OnlineFeatureStatus[],
    private readonly times: string[],
  ) {}

  column(feature: string): Column {
    const n = this.rows.length;
    const values = new Array<FeatureValue>(n);
    const statuses = new Array<OnlineFeatureStatus>(n);
    for (let r = 0; r < n; r++) {
      const row = this.rows[r];
      const value = row?.[feature] ?? null;
      values[r] = value;
      statuses[r] = this.statuses[r] === 'PRESENT' && value === null ? 'NULL_VALUE' : this.statuses[r]!;
    }
    return { values, statuses, event_timestamps: this.times };
  }

  value(row: number, feature: string): FeatureValue {
    return this.rows[row]?.[feature] ?? null;
  }
}

async function readViews(loaded: LoadedProject, store: OnlineStore, views: readonly FeatureViewSpec[], entities: EntityColumns, now: number): Promise<Map<string, ViewRows>> {
  // Views sharing join keys share one read.
  const groups = new Map<string, FeatureViewSpec[]>();
  for (const view of views) {
    if (!view.online) throw invalidParameter(`Feature view '${view.name}' is not online (online: false): read it with historical retrieval`);
    const signature = loaded.repo.joinKeysOf(view).map((k) => `${k.name}:${k.dtype}`).join(',');
    groups.set(signature, [...(groups.get(signature) ?? []), view]);
  }
  const out = new Map<string, ViewRows>();
  for (const group of groups.values()) {
    const keys = entities.entityKeys(loaded.repo.joinKeysOf(group[0]!), `join key of feature view '${group[0]!.name}'`);
    const records = await store.read(loaded.repo.project, group.map((v) => v.name), keys);
    group.forEach((view, v) => out.set(view.name, decode(view, records[v]!, now)));
  }
  return out;
}

function decode(view: FeatureViewSpec, records: readonly (OnlineRecord | undefined)[], now: number): ViewRows {
  const ttlMs = view.ttl_seconds * 1000;
  const rows = new Array<Record<string, FeatureValue> | undefined>(records.length);
  const statuses = new Array<OnlineFeatureStatus>(records.length);
  const times = new Array<string>(records.length);
  // Requests often repeat an entity: decode each record once.
  const decoded = new Map<OnlineRecord, Record<string, FeatureValue>>();
  records.forEach((record, r) => {
    if (!record) {
      statuses[r] = 'NOT_FOUND';
      times[r] = EPOCH;
      return;
    }
    times[r] = isoTime(record.eventTime);
    if (ttlMs > 0 && record.eventTime < now - ttlMs) {
      statuses[r] = 'OUTSIDE_MAX_AGE';
      return;
    }
    let row = decoded.get(record);
    if (!row) decoded.set(record, (row = JSON.parse(record.payload) as Record<string, FeatureValue>));
    rows[r] = row;
    statuses[r] = 'PRESENT';
  });
  return new ViewRows(rows, statuses, times);
}

/** Outputs of the selected on-demand views, as ViewRows (status PRESENT or NULL_VALUE). */
function runOnDemandViews(loaded: LoadedProject, selections: readonly FeatureSelection[], fetched: Map<string, ViewRows>, entities: EntityColumns): Map<string, ViewRows> {
  const out = new Map<string, ViewRows>();
  for (const name of new Set(selections.filter((s) => s.viewKind === 'on_demand_feature_view').map((s) => s.view))) {
    const view = loaded.repo.onDemandViews.get(name)!;
    const inputs = loaded.repo.onDemandInputs(view);
    const rows: Record<string, unknown>[] = [];
    for (let r = 0; r < entities.rows; r++) {
      const row: Record<string, unknown> = {};
      for (const input of inputs) {
        row[input.name] = 'view' in input.from ? fetched.get(input.from.view)!.value(r, input.name) : cellToJson(entities.column(input.name, input.dtype, `request data of '${input.from.request}'`, true)[r]!, input.dtype);
      }
      rows.push(row);
    }
    const results = loaded.transformations.get(name)!.apply(rows);
    const values = results.map((result, r) => {
      const row: Record<string, FeatureValue> = {};
      for (const field of view.schema) {
        const cell = cellFromJson(result[field.name], field.dtype, () => `On-demand feature view '${name}' output '${field.name}' of row ${r}`);
        row[field.name] = cellToJson(cell, field.dtype);
      }
      return row;
    });
    out.set(name, new ViewRows(values, fill(values.length, 'PRESENT'), fill(values.length, EPOCH)));
  }
  return out;
}
