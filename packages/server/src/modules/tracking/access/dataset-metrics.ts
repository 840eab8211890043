import type { Metric, Run } from '@capstan/contracts';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import { fromStorage, isLater, wireDouble } from '../runs/metric-order.js';
import { loadRuns } from '../runs/run-reader.js';
import type { TrackingTables } from '../tables.js';

/**
 * Runs whose `data.metrics` also carry, for each metric logged against an evaluation dataset
 * (MLflow 3's `dataset_name`/`dataset_digest`), the latest value per dataset digest. A run's
 * ordinary latest metrics keep no dataset, so promotion gates that compare a challenger with the
 * champion on the same evaluation data read these.
 */
export function runLookupWithDatasetMetrics(database: SqlDatabase<unknown>): (runIds: readonly string[]) => Promise<Run[]> {
  const { db } = tablesOf<TrackingTables>(database);
  return async (runIds) => {
    const runs = await loadRuns(db, runIds);
    if (runs.length === 0) return runs;
    const rows = await db
      .selectFrom('metrics')
      .select(['run_uuid', 'key', 'value', 'is_nan', 'timestamp', 'step', 'dataset_name', 'dataset_digest'])
      .where('run_uuid', 'in', runs.map((r) => r.info.run_id))
      .where('dataset_digest', '!=', '')
      .execute();
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      const id = `${row.run_uuid}\0${row.key}\0${row.dataset_digest}`;
      const seen = latest.get(id);
      const point = { key: row.key, value: fromStorage(row.value, row.is_nan), timestamp: Number(row.timestamp), step: Number(row.step) };
      if (!seen || isLater(point, { key: seen.key, value: fromStorage(seen.value, seen.is_nan), timestamp: Number(seen.timestamp), step: Number(seen.step) })) latest.set(id, row);
    }
    return runs.map((run) => {
      const extra: Metric[] = [...latest.values()]
        .filter((row) => row.run_uuid === run.info.run_id)
        .map((row) => ({
          key: row.key,
          value: wireDouble(fromStorage(row.value, row.is_nan)),
          timestamp: Number(row.timestamp),
          step: Number(row.step),
          dataset_name: row.dataset_name,
          dataset_digest: row.dataset_digest,
        }));
      return extra.length ? { ...run, data: { ...run.data, metrics: [...(run.data.metrics ?? []), ...extra] } } : run;
    });
  };
}
