import type { DeploymentFeatures } from '@capstan/contracts';
import { CapstanError } from '../../../core/errors.js';
import { ServingError, type ServedVersionView } from '../engine/inference-engine.js';
import type { Tensor } from '../protocol/datatypes.js';
import type { ColumnsPayload, ScoringPayload } from '../protocol/scoring/scoring-payload.js';
import { toModelInputs } from '../protocol/scoring/to-model-inputs.js';
import { enrichTable, type OnlineFeaturesFn } from './enrich-payload.js';
import { fitToModel } from './fit-to-model.js';
import { tableOfPayload, tableOfTensors } from './request-table.js';

export interface FeatureEnricherOptions {
  /** A deployment's `features`, as this process serves it now; undefined when it fetches none. */
  featuresOf(deployment: string): DeploymentFeatures | undefined;
  /** The feature store's online read; a server without a feature store has none. */
  onlineFeatures: OnlineFeaturesFn | undefined;
}

/** Builds a request's tensors for the version routing chooses (see InferenceCall.inputs). */
export type ModelInputs = (view: ServedVersionView) => readonly Tensor[];

/**
 * What the inference routes ask before `engine.infer`: the request's inputs with the deployment's
 * features fetched (one online read per request), or the request as sent when the deployment
 * names no features or the request is not a table. Fetching happens before routing because the
 * engine never awaits between choosing a version and queueing; fitting the table to the chosen
 * version's columns happens after, inside `inputs`, so what the model saw is what is logged.
 */
export class FeatureEnricher {
  constructor(private readonly options: FeatureEnricherOptions) {}

  /** Whether a deployment fetches features: checked first, so other requests take no extra await. */
  fetchesFeatures(deployment: string): boolean {
    return this.options.featuresOf(deployment) !== undefined;
  }

  /** A KServe v1 or MLflow request. */
  async scoringInputs(deployment: string, payload: ScoringPayload): Promise<ModelInputs> {
    const spec = this.options.featuresOf(deployment);
    const table = spec && tableOfPayload(payload);
    if (spec === undefined || table === undefined) return (view) => toModelInputs(payload, view);
    return this.#enriched(deployment, spec, table);
  }

  /** An OIP request: enriched when its inputs are all columns; other requests must carry full tensors. */
  async oipInputs(deployment: string, tensors: readonly Tensor[]): Promise<readonly Tensor[] | ModelInputs> {
    const spec = this.options.featuresOf(deployment);
    const table = spec && tableOfTensors(tensors);
    if (spec === undefined || table === undefined) return tensors;
    return this.#enriched(deployment, spec, table);
  }

  async #enriched(deployment: string, spec: DeploymentFeatures, table: ColumnsPayload): Promise<ModelInputs> {
    const fetch = this.options.onlineFeatures;
    // Checked per request rather than at deploy time: a replica may run without a feature store
    // while the deployment, stored in the shared database, names features.
    if (fetch === undefined) throw new Error(`deployment '${deployment}' fetches features from project '${spec.project}', but this server runs without a feature store`);
    // An empty batch has nothing to look up; toModelInputs refuses it with its usual message.
    if (table.rowCount === 0) return (view) => toModelInputs(table, view);
    const enriched = await enrichTable(table, spec, fetch).catch((err: unknown) => {
      throw lookupFailure(deployment, spec, err);
    });
    return (view) => toModelInputs(fitToModel(enriched, view, spec.feature_service), view);
  }
}

/**
 * The caller's keys refused by the feature store (a wrong type, a missing or null join key) are a
 * 400; anything else (the project or feature service is gone, the store is down) is the server's
 * problem, a 500 that keeps the cause.
 */
function lookupFailure(deployment: string, spec: DeploymentFeatures, err: unknown): Error {
  if (err instanceof ServingError) return err;
  const source = `feature service '${spec.feature_service}' of project '${spec.project}'`;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof CapstanError && err.httpStatus === 400) return new ServingError(400, `the feature store refused this request's keys for ${source}: ${message}`);
  return new Error(`deployment '${deployment}' could not fetch features from ${source}: ${message}`, { cause: err });
}
