/**
 * Lineage and model cards of a model version (Capstan API, not MLflow's). Routes, under
 * CAPSTAN_API_PREFIX: `GET /model-versions/lineage?name=&version=` -> LineageGraph;
 * `GET /model-versions/card?name=&version=[&format=markdown]` -> ModelCard (or text/markdown);
 * `PATCH /model-versions/card` with `{name, version, ...ModelCardEdits}` -> ModelCard.
 */
export type LineageNodeKind = 'registered_model' | 'model_version' | 'run' | 'experiment' | 'dataset' | 'code_version' | 'deployment' | 'pipeline_run';
export type LineageRelation = 'version_of' | 'produced_by' | 'in_experiment' | 'trained_on' | 'evaluated_on' | 'used_dataset' | 'code_version' | 'child_of' | 'serves';

export interface LineageNode {
  /** Stable within a graph, e.g. `model_version:fraud/3`, `run:<id>`, `dataset:<name>@<digest>`. */
  id: string;
  kind: LineageNodeKind;
  label: string;
  attributes: Record<string, unknown>;
}

export interface LineageEdge {
  from: string;
  to: string;
  relation: LineageRelation;
}

export interface LineageGraph {
  /** The model version's node id. */
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** The editable parts of a model card. */
export interface ModelCardEdits {
  summary?: string;
  intended_use?: string;
  out_of_scope_use?: string;
  limitations?: string;
  ethical_considerations?: string;
  owner?: string;
}

export interface ModelCard extends ModelCardEdits {
  name: string;
  version: string;
  description?: string;
  stage: string;
  aliases: string[];
  created_at: number;
  flavor: string | null;
  /** The version's signature as MLflow's MLmodel spells it (parsed JSON), or null. */
  signature: { inputs: unknown; outputs: unknown } | null;
  training: {
    run_id?: string;
    experiment_id?: string;
    params: Record<string, string>;
    datasets: { name: string; digest: string; source?: string; context?: string }[];
    code_version?: string;
    source?: string;
  };
  evaluation: { metrics: Record<string, number> };
  lineage: LineageGraph;
  /** Who last edited the card's free text, and when (epoch ms); absent when never edited. */
  edited_by?: string;
  edited_at?: number;
}
