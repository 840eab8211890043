import type { Kysely, Selectable } from 'kysely';
import type { CheckStatus, MonitorCheckName, MonitorCheckResult, MonitorRun, MonitorRunStatus, MonitorRunSummary } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import type { MonitoringTables, MonitorRunsTable } from './tables.js';

const toSummary = (row: Omit<Selectable<MonitorRunsTable>, 'results'>): MonitorRunSummary => ({
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

/** Every run's result, kept whole: the summary columns for listing, the results JSON for one run. */
export class RunStore {
  constructor(private readonly db: Kysely<MonitoringTables>) {}

  async record(run: MonitorRun): Promise<void> {
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
      })
      .execute();
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
    const row = await this.db.selectFrom('monitor_runs').selectAll().where('monitor', '=', monitor).where('run_id', '=', runId).executeTakeFirst();
    if (!row) throw notFound(`Run '${runId}' of monitor '${monitor}' not found`);
    return { ...toSummary(row), results: JSON.parse(row.results) as MonitorCheckResult[] };
  }

  /** Each monitor's latest run, with its results (for the Prometheus gauges). */
  async latestOfEach(): Promise<MonitorRun[]> {
    const rows = await this.db
      .selectFrom('monitor_runs as r')
      .selectAll('r')
      .where(({ eb, selectFrom }) =>
        eb(
          'r.run_id',
          '=',
          selectFrom('monitor_runs as n').select('n.run_id').whereRef('n.monitor', '=', 'r.monitor').orderBy('n.started_at', 'desc').orderBy('n.run_id', 'desc').limit(1),
        ),
      )
      .execute();
    return rows.map((row) => ({ ...toSummary(row), results: JSON.parse(row.results) as MonitorCheckResult[] }));
  }
}
