import type { OnlineFeatureStatus } from '@capstan/contracts';
import type { ServedVersionView } from '../engine/inference-engine.js';
import { badRequest } from '../protocol/scoring/bad-request.js';
import type { ColumnsPayload } from '../protocol/scoring/scoring-payload.js';
import type { EnrichedTable } from './enrich-payload.js';

interface ModelColumn {
  readonly name: string;
  readonly required: boolean;
}

const WHY: Readonly<Record<Exclude<OnlineFeatureStatus, 'PRESENT'>, string>> = {
  NOT_FOUND: 'the online store holds no value for that key',
  OUTSIDE_MAX_AGE: "its newest value is older than its feature view's TTL",
  NULL_VALUE: 'its stored value is null',
};

/**
 * The enriched table cut down to the columns the version routing chose takes: a feature-backed
 * request carries columns the model does not (the entity keys, request data for on-demand
 * features, features the service holds for other models), which are dropped as MLflow's schema
 * enforcement drops extra columns. Before that, a column the model requires whose value the store
 * could not supply is refused with the feature's status and the row's key, not just "missing".
 */
export function fitToModel(enriched: EnrichedTable, view: ServedVersionView, featureService: string): ColumnsPayload {
  const columns = modelColumns(view, enriched.table);
  if (columns === undefined) {
    // The deployment is configured with a model whose columns cannot be known: not the caller's fault.
    throw new Error(
      `deployment '${view.name}' fetches features, but version ${view.version} of its model names no columns ` +
        `(no column signature, and its one input '${view.inputs[0]?.name}' is not a column); log the model with a signature`,
    );
  }
  for (const column of columns) {
    const statuses = enriched.fetched.get(column.name);
    if (!column.required || statuses === undefined) continue;
    const row = statuses.findIndex((s) => s !== undefined && s !== 'PRESENT');
    if (row < 0) continue;
    const status = statuses[row] as Exclude<OnlineFeatureStatus, 'PRESENT'>;
    const others = statuses.filter((s) => s !== undefined && s !== 'PRESENT').length - 1;
    badRequest(
      `feature '${column.name}' of feature service '${featureService}' was ${status} for ${enriched.describeRow(row)} (row ${row}` +
        `${others > 0 ? `, and ${others} more row${others === 1 ? '' : 's'}` : ''}): ${WHY[status]}, and the model requires column '${column.name}'`,
    );
  }
  const names = new Set(columns.map((c) => c.name));
  return { ...enriched.table, columns: new Map([...enriched.table.columns].filter(([name]) => names.has(name))) };
}

/**
 * The columns a model takes: its signature's, else its inputs' names when they name columns (an
 * sklearn-onnx pipeline logged without a signature); undefined for a single unnamed input.
 */
function modelColumns(view: ServedVersionView, table: ColumnsPayload): ModelColumn[] | undefined {
  const signature = view.signature?.inputs;
  if (signature?.kind === 'columns' && signature.specs.length > 0 && signature.specs.every((s) => s.name !== undefined)) {
    return signature.specs.map((s) => ({ name: s.name as string, required: s.required }));
  }
  const inputs = view.inputs;
  if (inputs.length === 1 && !table.columns.has(inputs[0]!.name)) return undefined;
  return inputs.map((i) => ({ name: i.name, required: true }));
}
