import type { Run } from '@capstan/contracts';
import { tagOf } from './run-lineage.js';

/** Runs as MLflow returns them; ids that do not exist are skipped (the tracking module's `runLookup`). */
export type RunLookup = (runIds: readonly string[]) => Promise<Run[]>;

/** How far up `mlflow.parentRunId` links are followed: sweeps nest a few levels, never dozens. */
export const MAX_PARENT_DEPTH = 10;

export const PARENT_RUN_TAG = 'mlflow.parentRunId';

export interface RunAncestry {
  /** The starting runs, then their parents level by level. */
  runs: Run[];
  /** Ids that were asked for (a start or a parent within reach) but do not exist any more. */
  missing: string[];
}

/** Loads runs and their parents up to `maxDepth` levels, one lookup per level. */
export async function loadRunAncestry(lookup: RunLookup, startIds: readonly string[], maxDepth = MAX_PARENT_DEPTH): Promise<RunAncestry> {
  const runs: Run[] = [];
  const missing: string[] = [];
  const seen = new Set<string>(startIds);
  let level = [...seen];
  for (let depth = 0; level.length > 0; depth++) {
    const found = new Map((await lookup(level)).map((r) => [r.info.run_id, r]));
    const next: string[] = [];
    for (const id of level) {
      const run = found.get(id);
      if (!run) {
        missing.push(id);
        continue;
      }
      runs.push(run);
      const parent = tagOf(run, PARENT_RUN_TAG);
      // `seen` also stops a (corrupt) cycle of parent tags.
      if (parent && depth < maxDepth && !seen.has(parent)) {
        seen.add(parent);
        next.push(parent);
      }
    }
    level = next;
  }
  return { runs, missing };
}
