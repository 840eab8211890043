import { sql, type Kysely } from 'kysely';
import type { FeatureValue, FeatureViewSpec, FieldSpec, PushFeaturesRequest } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { OfflineField, OfflineStore } from '../../../ports/offline-store.js';
import type { OnlineStore } from '../../../ports/online-store.js';
import type { BatchSourceSpec } from '../definitions/feature-repo.js';
import { onlineRecords } from '../materialize/online-records.js';
import { offlineWork } from '../offline/offline-errors.js';
import type { ViewStateStore } from '../materialize/view-state-store.js';
import type { LoadedProject } from '../registry/registry-cache.js';
import { cellFromJson, timestampFromJson, type Cell } from '../values/cells.js';
import { columnRows } from '../values/column-rows.js';

export interface PushDeps {
  online: OnlineStore;
  offline: OfflineStore;
  states: ViewStateStore;
  database: Kysely<unknown>;
  now: () => number;
}

type Columns = Readonly<Record<string, readonly FeatureValue[]>>;

/**
 * Feast's push: rows for the views fed by a push source, written to the online store (newer rows
 * only, as materialization), to the push source's batch source offline, or both. Every column is
 * checked against the schema before anything is written, so a bad row stores nothing.
 */
export async function pushRows(loaded: LoadedProject, request: PushFeaturesRequest, deps: PushDeps): Promise<{ rows: number }> {
  const to = request.to ?? 'online';
  if (!['online', 'offline', 'online_and_offline'].includes(to)) throw invalidParameter(`to must be online, offline or online_and_offline, not '${String(to)}'`);
  const { repo } = loaded;
  const views = repo.viewsPushedBy(request.push_source_name);
  const push = repo.sources.get(request.push_source_name)!;
  const batchSource = repo.sources.get((push as { batch_source: string }).batch_source) as BatchSourceSpec;
  const rows = columnRows(request.df, 'df');
  if (views.length === 0) throw invalidParameter(`Push source '${request.push_source_name}' feeds no feature view`);
  const typed = views.map((view) => typedColumns(loaded, view, batchSource, request.df, rows, deps.now()));
  if (to !== 'online') await appendOffline(loaded, batchSource, views, typed, deps);
  if (to !== 'offline') for (const [i, view] of views.entries()) await writeOnline(loaded, view, typed[i]!, deps);
  return { rows };
}

/** Feast's write-to-online-store: rows of one view straight into the online store. */
export async function writeToOnlineStore(loaded: LoadedProject, viewName: string, df: Columns, deps: PushDeps): Promise<{ rows: number }> {
  const view = loaded.repo.view(viewName);
  if (!view.online) throw invalidParameter(`Feature view '${viewName}' is not online (online: false)`);
  const rows = columnRows(df, 'df');
  const typed = typedColumns(loaded, view, loaded.repo.batchSourceOf(view), df, rows, deps.now());
  await writeOnline(loaded, view, typed, deps);
  return { rows };
}

interface TypedRows {
  count: number;
  joinKeys: Record<string, Cell[]>;
  features: Record<string, Cell[]>;
  eventTimes: number[];
  createdTimes: number[];
}

/** The df's columns for one view, named as in the view; the time columns as the batch source names them. */
function typedColumns(loaded: LoadedProject, view: FeatureViewSpec, source: BatchSourceSpec, df: Columns, count: number, now: number): TypedRows {
  const column = (field: FieldSpec, nullable: boolean): Cell[] => {
    const values = df[field.name];
    if (values === undefined) throw invalidParameter(`df lacks '${field.name}', needed by feature view '${view.name}'`);
    return values.map((v, i) => {
      const cell = cellFromJson(v, field.dtype, () => `df.${field.name}[${i}]`);
      if (cell === null && !nullable) throw invalidParameter(`df.${field.name}[${i}] is null; join key '${field.name}' needs a value`);
      return cell;
    });
  };
  const times = (name: string): number[] => {
    const values = df[name];
    if (values === undefined) throw invalidParameter(`df lacks '${name}', the event time column of feature view '${view.name}'`);
    return values.map((v, i) => timestampFromJson(v, () => `df.${name}[${i}]`));
  };
  const eventTimes = times(source.timestamp_field);
  const created = source.created_timestamp_column;
  const createdTimes = created && df[created] !== undefined ? times(created) : new Array<number>(count).fill(now);
  return {
    count,
    joinKeys: Object.fromEntries(loaded.repo.joinKeysOf(view).map((k) => [k.name, column(k, false)])),
    features: Object.fromEntries(view.schema.map((f) => [f.name, column(f, true)])),
    eventTimes,
    createdTimes,
  };
}

async function writeOnline(loaded: LoadedProject, view: FeatureViewSpec, rows: TypedRows, deps: PushDeps): Promise<void> {
  const { project } = loaded.repo;
  await deps.online.write(project, view.name, onlineRecords(view, loaded.repo.joinKeysOf(view), rows));
  await deps.states.noteWrite(project, view.name, Math.max(...rows.eventTimes));
}

/** The pushed rows in the batch source's own column names (field_mapping reversed), once for all views. */
async function appendOffline(loaded: LoadedProject, source: BatchSourceSpec, views: readonly FeatureViewSpec[], typed: readonly TypedRows[], deps: PushDeps): Promise<void> {
  const columnOf = new Map(Object.entries(source.field_mapping ?? {}).map(([column, name]) => [name, column]));
  const fields: OfflineField[] = [];
  const values: Record<string, Cell[]> = {};
  const add = (name: string, dtype: OfflineField['dtype'], cells: Cell[]) => {
    const column = columnOf.get(name) ?? name;
    if (column in values) return;
    fields.push({ name: column, dtype });
    values[column] = cells;
  };
  views.forEach((view, i) => {
    for (const k of loaded.repo.joinKeysOf(view)) add(k.name, k.dtype, typed[i]!.joinKeys[k.name]!);
    for (const f of view.schema) add(f.name, f.dtype, typed[i]!.features[f.name]!);
  });
  fields.push({ name: source.timestamp_field, dtype: 'unix_timestamp' });
  values[source.timestamp_field] = typed[0]!.eventTimes;
  if (source.created_timestamp_column) {
    fields.push({ name: source.created_timestamp_column, dtype: 'unix_timestamp' });
    values[source.created_timestamp_column] = typed[0]!.createdTimes;
  }
  if (source.kind === 'file') {
    await offlineWork(() => deps.offline.append({ kind: 'files', format: source.format, path: source.path }, fields, values));
    return;
  }
  await insertSqlRows(deps.database, source.table, fields, values, typed[0]!.count);
}

/** SQL table sources take pushed rows as INSERTs; times as ISO 8601 text, which both dialects store and read back. */
async function insertSqlRows(database: Kysely<unknown>, table: string, fields: readonly OfflineField[], values: Record<string, Cell[]>, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, r) =>
    sql`(${sql.join(fields.map((f) => {
      const cell = values[f.name]![r]!;
      return f.dtype === 'unix_timestamp' && typeof cell === 'number' ? new Date(cell).toISOString() : Array.isArray(cell) ? JSON.stringify(cell) : cell;
    }))})`,
  );
  try {
    await sql`insert into ${sql.table(table)} (${sql.join(fields.map((f) => sql.ref(f.name)))}) values ${sql.join(rows)}`.execute(database);
  } catch (err) {
    throw invalidParameter(`Pushing to SQL table '${table}' failed: ${(err as Error).message}`);
  }
}
