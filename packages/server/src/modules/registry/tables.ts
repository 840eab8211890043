import type { Generated } from 'kysely';
import type { ModelCardsTable } from './cards/card-tables.js';

/**
 * Registry tables as Kysely sees them. A registered model has a surrogate id so renames touch one
 * row; versions are numbered per model and never reused (a deleted version keeps its row, marked
 * `deleted`, as MLflow's store keeps `Deleted_Internal`). Times are epoch milliseconds.
 */
export interface RegistryTables {
  /** Model cards' edited text (cards/card-tables.ts owns the row type). */
  model_cards: ModelCardsTable;
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
}

export interface RegisteredModelsTable {
  model_id: Generated<number>;
  name: string;
  workspace: string;
  description: string | null;
  creation_timestamp: number;
  last_updated_timestamp: number;
  created_by: string | null;
}

export interface RegisteredModelTagsTable {
  model_id: number;
  key: string;
  value: string;
}

export interface RegisteredModelAliasesTable {
  model_id: number;
  alias: string;
  version: number;
}

export interface ModelVersionsTable {
  model_id: number;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string | null;
  current_stage: string;
  description: string | null;
  source: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  deleted: number;
  /** The package's main flavor (`onnx`, `sklearn`...), when registration could read its MLmodel. */
  flavor: string | null;
  /** `{"inputs": "...", "outputs": "..."}` as MLflow's MLmodel spells a signature; read from the graph when the package declared none. */
  signature: string | null;
}

export interface ModelVersionTagsTable {
  model_id: number;
  version: number;
  key: string;
  value: string;
}
