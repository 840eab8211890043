import { invalidParameter } from '../../../core/errors.js';
import type { TrackingContext } from '../tracking-context.js';
import { RunStore, upsertTags, validateTag } from './run-store.js';

/** The run tag where MLflow keeps one summary per `log_model` call; its UI reads it. */
export const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

const REQUIRED_FIELDS = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];

/**
 * runs/log-model (MLflow 2.x's record of a logged model): appends the model's summary — run id,
 * time, artifact path, model uuid, and its flavors without their bulky `config` — to the run's
 * `mlflow.log-model.history` tag, as MLflow's store does.
 */
export async function recordLoggedModel(ctx: TrackingContext, runId: string, modelJson: string): Promise<void> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalidParameter(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
  }
  if (model === null || typeof model !== 'object' || Array.isArray(model)) {
    throw invalidParameter(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
  }
  const fields = model as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((f) => !(f in fields));
  if (missing.length > 0) {
    throw invalidParameter(`Model json is missing mandatory fields: {${missing.map((f) => `'${f}'`).join(', ')}}`);
  }
  const summary = summarize(fields);
  await ctx.db.transaction().execute(async (trx) => {
    await new RunStore(ctx).getActiveRow(runId, trx);
    const previous = await trx
      .selectFrom('run_tags')
      .select('value')
      .where('run_uuid', '=', runId)
      .where('key', '=', LOGGED_MODELS_TAG)
      .executeTakeFirst();
    const history = previous ? parseHistory(previous.value) : [];
    const value = JSON.stringify([...history, summary]);
    validateTag(LOGGED_MODELS_TAG, value);
    await upsertTags(trx, runId, [{ key: LOGGED_MODELS_TAG, value }]);
  });
}

function summarize(model: Record<string, unknown>): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const key of ['run_id', 'utc_time_created', 'artifact_path', 'model_uuid']) if (key in model) summary[key] = model[key];
  const flavors = model.flavors;
  if (flavors !== null && typeof flavors === 'object' && !Array.isArray(flavors)) {
    summary.flavors = Object.fromEntries(
      Object.entries(flavors).map(([name, config]) => [
        name,
        config !== null && typeof config === 'object' && !Array.isArray(config)
          ? Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'config'))
          : config,
      ]),
    );
  } else {
    summary.flavors = flavors;
  }
  return summary;
}

/** A history someone overwrote with something else restarts rather than failing every log_model. */
function parseHistory(value: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
