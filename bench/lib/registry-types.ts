import type { ModelVersion, RegisteredModel } from '@capstan/contracts';

/** Response bodies of the registry searches, as the benchmark reads them. */
export interface SearchRegisteredModelsResponse {
  registered_models?: RegisteredModel[];
  next_page_token?: string;
}

export interface SearchModelVersionsResponse {
  model_versions?: ModelVersion[];
  next_page_token?: string;
}
