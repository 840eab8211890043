import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { FeatureTables } from '../registry/tables.js';

export interface ViewState {
  view: string;
  materializedUntil: number | null;
  newestEventTime: number | null;
  nextRunAt: number | null;
}

export interface MaterializationRecord {
  view: string;
  start: number;
  end: number;
  rows: number;
  trigger: string;
  finishedAt: number;
}

/** The later of the stored value and the new one (NULL counts as earliest), in SQL both dialects run. */
const later = (column: 'materialized_until' | 'newest_event_time') =>
  sql<number>`case when feature_view_state.${sql.ref(column)} is null or feature_view_state.${sql.ref(column)} < excluded.${sql.ref(column)} then excluded.${sql.ref(column)} else feature_view_state.${sql.ref(column)} end`;

/**
 * Per view: how far materialization got, the newest event time online, and the scheduler's lease;
 * plus the history of materialization runs.
 */
export class ViewStateStore {
  constructor(
    private readonly db: Kysely<FeatureTables>,
    private readonly now: () => number,
  ) {}

  async states(project: string): Promise<Map<string, ViewState>> {
    const rows = await this.db.selectFrom('feature_view_state').selectAll().where('project', '=', project).execute();
    return new Map(rows.map((r) => [r.view, toState(r)]));
  }

  async all(): Promise<(ViewState & { project: string })[]> {
    const rows = await this.db.selectFrom('feature_view_state').selectAll().execute();
    return rows.map((r) => ({ project: r.project, ...toState(r) }));
  }

  /** Records a finished run; the view's markers only move forward. */
  async recordMaterialization(project: string, run: Omit<MaterializationRecord, 'finishedAt'>, newestEventTime: number | null): Promise<void> {
    const finishedAt = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('feature_materializations')
        .values({ id: randomUUID(), project, view: run.view, start_time: run.start, end_time: run.end, rows: run.rows, trigger: run.trigger, finished_at: finishedAt })
        .execute();
      await trx
        .insertInto('feature_view_state')
        .values({ project, view: run.view, materialized_until: run.end, newest_event_time: newestEventTime, next_run_at: null, locked_until: null })
        .onConflict((oc) => oc.columns(['project', 'view']).doUpdateSet({ materialized_until: later('materialized_until'), newest_event_time: later('newest_event_time') }))
        .execute();
    });
  }

  /** Pushed or directly written rows move the newest event time (freshness) without a materialization run. */
  async noteWrite(project: string, view: string, newestEventTime: number): Promise<void> {
    await this.db
      .insertInto('feature_view_state')
      .values({ project, view, materialized_until: null, newest_event_time: newestEventTime, next_run_at: null, locked_until: null })
      .onConflict((oc) => oc.columns(['project', 'view']).doUpdateSet({ newest_event_time: later('newest_event_time') }))
      .execute();
  }

  async history(project: string, view: string, limit: number): Promise<MaterializationRecord[]> {
    const rows = await this.db
      .selectFrom('feature_materializations')
      .selectAll()
      .where('project', '=', project)
      .where('view', '=', view)
      .orderBy('finished_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ view: r.view, start: Number(r.start_time), end: Number(r.end_time), rows: Number(r.rows), trigger: r.trigger, finishedAt: Number(r.finished_at) }));
  }

  /**
   * Takes the scheduler's lease on a view that is due (no next run yet, or past it) and not held
   * by another replica. A conditional update: of replicas trying at once, one wins.
   */
  async lease(project: string, view: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    await this.db
      .insertInto('feature_view_state')
      .values({ project, view, materialized_until: null, newest_event_time: null, next_run_at: null, locked_until: null })
      .onConflict((oc) => oc.columns(['project', 'view']).doNothing())
      .execute();
    const result = await this.db
      .updateTable('feature_view_state')
      .set({ locked_until: now + leaseMs })
      .where('project', '=', project)
      .where('view', '=', view)
      .where((eb) => eb.or([eb('next_run_at', 'is', null), eb('next_run_at', '<=', now)]))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(project: string, view: string, nextRunAt: number): Promise<void> {
    await this.db.updateTable('feature_view_state').set({ locked_until: null, next_run_at: nextRunAt }).where('project', '=', project).where('view', '=', view).execute();
  }
}

function toState(r: FeatureTables['feature_view_state']): ViewState {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return { view: r.view, materializedUntil: n(r.materialized_until), newestEventTime: n(r.newest_event_time), nextRunAt: n(r.next_run_at) };
}
