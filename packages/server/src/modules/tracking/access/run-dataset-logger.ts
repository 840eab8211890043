import { invalidParameter, notFound } from '../../../core/errors.js';
import { tablesOf, type SqlDatabase } from '../../../ports/sql.js';
import { linkDatasets, type DatasetInputRecord } from '../runs/run-inputs.js';
import type { TrackingTables } from '../tables.js';

export type { DatasetInputRecord } from '../runs/run-inputs.js';

/**
 * Logs a dataset input on a run for other modules (the feature store's saved training datasets),
 * as MLflow's log-inputs would: the run's lineage then reaches the data it was trained on.
 */
export function runDatasetLogger(database: SqlDatabase<unknown>): (runId: string, input: DatasetInputRecord) => Promise<void> {
  const { db } = tablesOf<TrackingTables>(database);
  return (runId, input) =>
    db.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('runs').select(['experiment_id', 'lifecycle_stage']).where('run_uuid', '=', runId).executeTakeFirst();
      if (!run) throw notFound(`Run with id=${runId} not found`);
      if (run.lifecycle_stage !== 'active') throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`);
      await linkDatasets(trx, run.experiment_id, runId, [input]);
    });
}
