import type { Kysely, RawBuilder, Selectable, SqlBool } from 'kysely';
import type { AlertChannelView, Monitor, MonitorManifest } from '@capstan/contracts';
import { alreadyExists, notFound } from '../../../core/errors.js';
import type { MonitoringTables, MonitorsTable } from './tables.js';

export const DEFAULT_MIN_ROWS = 30;

/**
 * The `deployment` column of a dataset-pair monitor. The column predates such monitors and is NOT
 * NULL; SQLite can only drop that by rebuilding the table, whose children cascade on delete.
 * Deployment names are never empty.
 */
export const NO_DEPLOYMENT = '';

const monitorNotFound = (name: string) => notFound(`Monitor '${name}' not found`);

/** A monitor as the server needs it: the manifest as declared, alert secrets included. */
export interface StoredMonitor {
  manifest: MonitorManifest;
  workspace: string;
  nextRunAt: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
}

/** The API's view: alert channels without their secrets. */
export function monitorView(m: StoredMonitor): Monitor {
  const { alerts, ...spec } = m.manifest;
  return {
    ...spec,
    description: spec.description ?? null,
    workspace: m.workspace,
    alerts: (alerts ?? []).map((a): AlertChannelView => ({ type: a.type, url: a.url })),
    enabled: spec.enabled ?? true,
    min_rows: spec.min_rows ?? DEFAULT_MIN_ROWS,
    next_run_at: m.nextRunAt,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    created_by: m.createdBy,
  };
}

const toStored = (row: Selectable<MonitorsTable>): StoredMonitor => ({
  manifest: JSON.parse(row.spec) as MonitorManifest,
  workspace: row.workspace,
  nextRunAt: Number(row.next_run_at),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  createdBy: row.created_by,
});

/**
 * Monitors in the metadata database, and the scheduler's lease on each: a due monitor is claimed
 * with one conditional update, so when several replicas tick at once exactly one runs it.
 */
export class MonitorStore {
  constructor(
    private readonly db: Kysely<MonitoringTables>,
    private readonly now: () => number,
  ) {}

  async list(filter: { visible?: RawBuilder<SqlBool>; deployment?: string } = {}): Promise<StoredMonitor[]> {
    let query = this.db.selectFrom('monitors').selectAll().orderBy('name');
    if (filter.visible) query = query.where(filter.visible);
    if (filter.deployment !== undefined) query = query.where('deployment', '=', filter.deployment);
    return (await query.execute()).map(toStored);
  }

  async find(name: string): Promise<StoredMonitor | undefined> {
    const row = await this.db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toStored(row);
  }

  async require(name: string): Promise<StoredMonitor> {
    const found = await this.find(name);
    if (!found) throw monitorNotFound(name);
    return found;
  }

  /** A new monitor's first run is due now. */
  async create(manifest: MonitorManifest, workspace: string, actor: string | null): Promise<StoredMonitor> {
    const now = this.now();
    const result = await this.db
      .insertInto('monitors')
      .values({ ...this.columnsOf(manifest, now), workspace, next_run_at: now, locked_until: null, created_at: now, created_by: actor })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) throw alreadyExists(`Monitor '${manifest.name}' already exists`);
    return this.require(manifest.name);
  }

  /** Replaces the declaration; the schedule restarts from now when the interval changed. */
  async replace(manifest: MonitorManifest, workspace: string, previous: StoredMonitor): Promise<StoredMonitor> {
    const now = this.now();
    const nextRunAt = manifest.interval_seconds === previous.manifest.interval_seconds ? previous.nextRunAt : now;
    await this.db.updateTable('monitors').set({ ...this.columnsOf(manifest, now), workspace, next_run_at: nextRunAt }).where('name', '=', manifest.name).execute();
    return this.require(manifest.name);
  }

  async delete(name: string): Promise<StoredMonitor> {
    const found = await this.require(name);
    await this.db.deleteFrom('monitors').where('name', '=', name).execute();
    return found;
  }

  /** Enabled monitors whose run is due and that no scheduler holds. */
  async due(limit: number): Promise<string[]> {
    const now = this.now();
    const rows = await this.db
      .selectFrom('monitors')
      .select('name')
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.name);
  }

  /** Takes the lease on a due monitor until `until`; undefined when another scheduler has it or it is no longer due. */
  async claim(name: string, until: number): Promise<StoredMonitor | undefined> {
    const now = this.now();
    const result = await this.db
      .updateTable('monitors')
      .set({ locked_until: until })
      .where('name', '=', name)
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? this.find(name) : undefined;
  }

  /** Releases the lease and sets the next run; a missed interval is skipped, not caught up. */
  async scheduled(name: string, nextRunAt: number): Promise<void> {
    await this.db.updateTable('monitors').set({ locked_until: null, next_run_at: nextRunAt }).where('name', '=', name).execute();
  }

  private columnsOf(manifest: MonitorManifest, now: number) {
    return {
      name: manifest.name,
      deployment: manifest.deployment ?? NO_DEPLOYMENT,
      description: manifest.description ?? null,
      spec: JSON.stringify(manifest),
      enabled: manifest.enabled === false ? 0 : 1,
      updated_at: now,
    };
  }
}
