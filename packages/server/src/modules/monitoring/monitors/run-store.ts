import type { Kysely, Selectable } from 'kysely';
import type { CheckStatus, MonitorCheckName, MonitorCheckResult, MonitorRun, MonitorRunStatus, MonitorRunSummary } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import { DatasetProfile, deserializeProfile, mergeProfiles, serializeProfile } from '../profiles/index.js';
import type { MonitoringTables, MonitorRunsTable } from './tables.js';

const toSummary = (row: Omit<Selectable<MonitorRunsTable>, 'results' | 'profile'>): MonitorRunSummary => ({
  run_id: row.run_id,
  monitor: row.monitor,
  trigger: row.trigger,
  status: row.status as MonitorRunStatus,
  started_at: Number(row.started_at),
  finished_at: Number(row.finished_at),
  window: { from: Number(row.window_from), to: Number(row.window_to) },
  reference_rows: Number(row.reference_rows),
  current_rows: Number(row.current_rows),
  checks: JSON.parse(row.checks) as Partial<Record<MonitorCheckName, CheckStatus>>,
  ...(row.message === null ? {} : { message: row.message }),
});

const SUMMARY_COLUMNS = ['run_id', 'monitor', 'trigger', 'status', 'started_at', 'finished_at', 'window_from', 'window_to', 'reference_rows', 'current_rows', 'checks', 'message'] as const;
/** A run as the API returns it; the stored profile is read only when merging. */
const RUN_COLUMNS = [...SUMMARY_COLUMNS, 'results'] as const;

/** Stored profiles read per query while merging (each ~11 KB per numeric column). */
const PROFILE_PAGE = 16;

/** The merge of a monitor's stored run profiles over a range. */
export interface MergedRunProfiles {
  profile: DatasetProfile;
  /** Runs merged. */
  runs: number;
  /** Runs in the range whose window overlapped one already merged, left out. */
  overlapping: number;
}

/**
 * Every run's result, kept whole: the summary columns for listing, the results JSON for one run,
 * and the profile of its current window's inputs when the monitor has a data_drift check.
 */
export class RunStore {
  constructor(private readonly db: Kysely<MonitoringTables>) {}

  /** Stores a run and, when given, the profile of its current window's inputs. */
  async record(run: MonitorRun, profile?: DatasetProfile): Promise<void> {
    await this.db
      .insertInto('monitor_runs')
      .values({
        run_id: run.run_id,
        monitor: run.monitor,
        trigger: run.trigger,
        status: run.status,
        started_at: run.started_at,
        finished_at: run.finished_at,
        window_from: run.window.from,
        window_to: run.window.to,
        reference_rows: run.reference_rows,
        current_rows: run.current_rows,
        checks: JSON.stringify(run.checks),
        message: run.message ?? null,
        results: JSON.stringify(run.results),
        profile: profile ? JSON.stringify(serializeProfile(profile)) : null,
      })
      .execute();
  }

  /**
   * The merge of the monitor's stored run profiles whose windows lie in [from, to), read a page at a
   * time so memory is one page and the merged profile whatever the number of runs. Windows are taken
   * by start time; a run whose window starts before the end of one already merged (a run asked for by
   * hand between scheduled ones, or window_seconds longer than interval_seconds) is left out, so no
   * logged row is counted twice.
   */
  async mergeProfiles(monitor: string, from: number, to: number): Promise<MergedRunProfiles> {
    let merged = new DatasetProfile();
    let runs = 0;
    let overlapping = 0;
    let coveredUntil = -Infinity;
    let after: { windowFrom: number; runId: string } | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('monitor_runs')
        .select(['run_id', 'window_from', 'window_to', 'profile'])
        .where('monitor', '=', monitor)
        .where('profile', 'is not', null)
        .where('window_from', '>=', from)
        .where('window_to', '<=', to);
      if (after) {
        const { windowFrom, runId } = after;
        query = query.where((eb) => eb.or([eb('window_from', '>', windowFrom), eb.and([eb('window_from', '=', windowFrom), eb('run_id', '>', runId)])]));
      }
      const page = await query.orderBy('window_from').orderBy('run_id').limit(PROFILE_PAGE).execute();
      for (const row of page) {
        const [windowFrom, windowTo] = [Number(row.window_from), Number(row.window_to)];
        if (windowFrom < coveredUntil) {
          overlapping++;
          continue;
        }
        merged = runs === 0 ? deserializeProfile(row.profile!) : mergeProfiles(merged, deserializeProfile(row.profile!));
        coveredUntil = windowTo;
        runs++;
      }
      const last = page[page.length - 1];
      if (page.length < PROFILE_PAGE || !last) break;
      after = { windowFrom: Number(last.window_from), runId: last.run_id };
    }
    return { profile: merged, runs, overlapping };
  }

  /** Newest first; `before` continues after the last run of the previous page. */
  async list(monitor: string, limit: number, before?: { startedAt: number; runId: string }): Promise<MonitorRunSummary[]> {
    let query = this.db.selectFrom('monitor_runs').select(SUMMARY_COLUMNS).where('monitor', '=', monitor);
    if (before) {
      query = query.where((eb) => eb.or([eb('started_at', '<', before.startedAt), eb.and([eb('started_at', '=', before.startedAt), eb('run_id', '<', before.runId)])]));
    }
    const rows = await query.orderBy('started_at', 'desc').orderBy('run_id', 'desc').limit(limit).execute();
    return rows.map(toSummary);
  }

  async get(monitor: string, runId: string): Promise<MonitorRun> {
    const row = await this.db.selectFrom('monitor_runs').select(RUN_COLUMNS).where('monitor', '=', monitor).where('run_id', '=', runId).executeTakeFirst();
    if (!row) throw notFound(`Run '${runId}' of monitor '${monitor}' not found`);
    return { ...toSummary(row), results: JSON.parse(row.results) as MonitorCheckResult[] };
  }

  /**
   * Each monitor's latest run, with its results and the deployment it watches ('' for a dataset
   * pair), for the Prometheus gauges: one query, no monitor specs read.
   */
  async latestOfEach(): Promise<{ deployment: string; run: MonitorRun }[]> {
    const rows = await this.db
      .selectFrom('monitor_runs as r')
      .innerJoin('monitors as m', 'm.name', 'r.monitor')
      .select([...RUN_COLUMNS.map((c) => `r.${c}` as const), 'm.deployment'])
      .where(({ eb, selectFrom }) =>
        eb(
          'r.run_id',
          '=',
          selectFrom('monitor_runs as n').select('n.run_id').whereRef('n.monitor', '=', 'r.monitor').orderBy('n.started_at', 'desc').orderBy('n.run_id', 'desc').limit(1),
        ),
      )
      .execute();
    return rows.map((row) => ({ deployment: row.deployment, run: { ...toSummary(row), results: JSON.parse(row.results) as MonitorCheckResult[] } }));
  }

}
