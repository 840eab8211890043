import type { Kysely } from 'kysely';
import type { InferenceLogTables } from './tables.js';

export interface GroundTruthLabel {
  readonly requestId: string;
  /** Any JSON value. */
  readonly label: unknown;
}

/** 4 values a row: far under both dialects' bind parameter limits. */
const ROWS_PER_INSERT = 1000;

/**
 * Stores labels for a deployment's requests at time `at`, replacing any posted earlier for the
 * same request. Within one call the last label for a request wins (PostgreSQL refuses to update
 * one row twice in a statement, so duplicates are folded first). All or nothing.
 */
export async function saveLabels(db: Kysely<InferenceLogTables>, deployment: string, labels: readonly GroundTruthLabel[], at: number): Promise<number> {
  const latest = new Map<string, string>();
  for (const { requestId, label } of labels) latest.set(requestId, JSON.stringify(label));
  const rows = [...latest].map(([request_id, label]) => ({ request_id, deployment, label, at }));
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      await tx
        .insertInto('inference_labels')
        .values(rows.slice(start, start + ROWS_PER_INSERT))
        .onConflict((oc) => oc.columns(['deployment', 'request_id']).doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), at: eb.ref('excluded.at') })))
        .execute();
    }
  });
  return rows.length;
}
