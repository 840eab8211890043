import type { ModelCard, ModelCardEdits, Run } from '@capstan/contracts';
import { traceLineage, type LineageDeps } from '../lineage/build-lineage.js';
import { datasetContext, paramsOf, RUN_TAGS, tagOf } from '../lineage/run-lineage.js';
import type { VersionFacts } from '../lineage/version-facts.js';
import { CARD_TEXT_FIELDS, type CardTextField } from './card-fields.js';
import type { ModelCardStore } from './card-store.js';

export interface ModelCardDeps extends LineageDeps {
  cards: ModelCardStore;
}

/**
 * A version's model card: generated from what the registry and tracking know, with the stored
 * hand-written edits taking precedence over the generated text field by field.
 */
export async function buildModelCard(deps: ModelCardDeps, key: { modelId: number; version: number }): Promise<ModelCard> {
  const [traced, stored] = await Promise.all([traceLineage(deps, key), deps.cards.find(key)]);
  const { version: v, run } = traced;
  const generated = generatedText(v, run);
  const text: ModelCardEdits = {};
  for (const field of CARD_TEXT_FIELDS) {
    const value = stored?.edits[field] ?? generated[field];
    if (value !== undefined) text[field] = value;
  }
  return {
    name: v.name,
    version: String(v.version),
    ...(v.modelDescription ? { description: v.modelDescription } : {}),
    ...text,
    stage: v.stage,
    aliases: v.aliases,
    created_at: v.createdAt,
    flavor: v.flavor,
    signature: parseSignature(v.signature),
    training: training(v, run),
    evaluation: { metrics: finiteMetrics(run) },
    lineage: traced.graph,
    ...(stored ? { edited_by: stored.editedBy, edited_at: stored.editedAt } : {}),
  };
}

/**
 * Defaults before anyone edits the card: the version's (else the model's) description as the
 * summary; registered-model tags named like the fields (`intended_use`, `owner`, ...), which teams
 * already set through MLflow; the owner falls back to who ran the training.
 */
function generatedText(v: VersionFacts, run: Run | undefined): Partial<Record<CardTextField, string>> {
  const out: Partial<Record<CardTextField, string>> = {};
  const summary = v.description || v.modelDescription;
  if (summary) out.summary = summary;
  for (const field of CARD_TEXT_FIELDS) {
    const tagged = v.modelTags[field];
    if (field !== 'summary' && tagged) out[field] = tagged;
  }
  const user = run && tagOf(run, RUN_TAGS.user);
  if (!out.owner && user) out.owner = user;
  return out;
}

function training(v: VersionFacts, run: Run | undefined): ModelCard['training'] {
  if (!run) return { ...(v.runId ? { run_id: v.runId } : {}), params: {}, datasets: [] };
  const commit = tagOf(run, RUN_TAGS.gitCommit);
  const source = tagOf(run, RUN_TAGS.sourceName);
  return {
    run_id: run.info.run_id,
    experiment_id: run.info.experiment_id,
    params: paramsOf(run),
    datasets: (run.inputs?.dataset_inputs ?? [])
      .map((input) => {
        const context = datasetContext(input);
        return { name: input.dataset.name, digest: input.dataset.digest, ...(input.dataset.source ? { source: input.dataset.source } : {}), ...(context ? { context } : {}) };
      })
      // Tracking lists inputs by a random id; a card must read the same every time.
      .sort((a, b) => compare(a.name, b.name) || compare(a.digest, b.digest) || compare(a.context ?? '', b.context ?? '')),
    ...(commit ? { code_version: commit } : {}),
    ...(source ? { source } : {}),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The card's metrics are plain numbers; NaN and the infinities (strings on MLflow's wire) stay visible in the lineage run node. */
function finiteMetrics(run: Run | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of run?.data.metrics ?? []) if (typeof m.value === 'number' && Number.isFinite(m.value)) out[m.key] = m.value;
  return out;
}

/** The column holds MLflow's MLmodel signature: a JSON object whose `inputs`/`outputs` are JSON text themselves. */
export function parseSignature(column: string | null): ModelCard['signature'] {
  if (!column) return null;
  const fields = parseJson(column);
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return null;
  const { inputs, outputs } = fields as { inputs?: unknown; outputs?: unknown };
  const inner = (value: unknown) => (typeof value === 'string' ? parseJson(value) : (value ?? null));
  return { inputs: inner(inputs), outputs: inner(outputs) };
}

// The server wrote these columns, but a card must still render if one was written by hand.
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
