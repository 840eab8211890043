import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Run, RunTag } from '@capstan/contracts';
import { isApiError } from '../errors.js';
import type { TrackingApi } from '../tracking-api.js';

export interface StartRunOptions {
  /** Experiment to log to, by ID; takes precedence over `experimentName`. */
  experimentId?: string;
  /** Experiment to log to, by name; created if missing. */
  experimentName?: string;
  /** Display name; the server generates one when absent. */
  runName?: string;
  /** Initial tags; they override the `mlflow.*` source tags the SDK sets. */
  tags?: Readonly<Record<string, string>>;
}

/**
 * The experiment ID for a new run: the given ID, or the named experiment's, creating it when it does
 * not exist. A concurrent creator winning the race (ALREADY_EXISTS) is resolved by reading it back.
 * With neither, the server's default experiment is used.
 */
export async function resolveExperimentId(api: TrackingApi, options: StartRunOptions): Promise<string | undefined> {
  if (options.experimentId !== undefined) return options.experimentId;
  const name = options.experimentName;
  if (name === undefined) return undefined;
  const byName = async () => (await api.getExperimentByName({ experiment_name: name })).experiment.experiment_id;
  try {
    return await byName();
  } catch (err) {
    if (!isApiError(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
  }
  try {
    return (await api.createExperiment({ name })).experiment_id;
  } catch (err) {
    if (isApiError(err, 'RESOURCE_ALREADY_EXISTS') || isApiError(err, 'ALREADY_EXISTS')) return byName();
    throw err;
  }
}

/** The tags MLflow's own client puts on a run so the UI can show who ran what from where. */
export function sourceTags(): RunTag[] {
  const tags: RunTag[] = [{ key: 'mlflow.source.type', value: 'LOCAL' }];
  const script = process.argv[1];
  if (script) tags.push({ key: 'mlflow.source.name', value: basename(script) });
  try {
    tags.push({ key: 'mlflow.user', value: userInfo().username });
  } catch {
    // Containers without a passwd entry for the uid have no user name; the tag is optional.
  }
  return tags;
}

export async function createRunFor(api: TrackingApi, options: StartRunOptions): Promise<Run> {
  const experimentId = await resolveExperimentId(api, options);
  const tags = new Map(sourceTags().map((t) => [t.key, t.value]));
  for (const [key, value] of Object.entries(options.tags ?? {})) tags.set(key, value);
  const { run } = await api.createRun({
    ...(experimentId !== undefined ? { experiment_id: experimentId } : {}),
    ...(options.runName !== undefined ? { run_name: options.runName } : {}),
    start_time: Date.now(),
    tags: [...tags].map(([key, value]) => ({ key, value })),
  });
  return run;
}
