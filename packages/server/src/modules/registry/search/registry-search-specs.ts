import { mlflowSearch } from '../../tracking/index.js';

type SearchSpec = mlflowSearch.SearchSpec;
const { STRING_COMPARATORS, NUMERIC_COMPARATORS } = mlflowSearch;

const stringKey = { type: 'string', comparators: STRING_COMPARATORS } as const;

/** search_registered_models: `name` and `tags.<key>` (MLflow's SearchModelUtils). */
export const REGISTERED_MODEL_SEARCH: SearchSpec = {
  subject: 'registered models',
  prefixes: { attribute: ['attribute', 'attributes'], tag: ['tag', 'tags'] },
  entityKeys: { tag: stringKey },
  filterAttributes: { name: { canonical: 'name', ...stringKey } },
  orderAttributes: {
    name: 'name',
    timestamp: 'last_updated_timestamp',
    last_updated_timestamp: 'last_updated_timestamp',
    creation_timestamp: 'creation_timestamp',
  },
};

/** search_model_versions: `name`, `run_id` (also IN lists), `source_path`, `version_number`, `tags.<key>` (SearchModelVersionUtils). */
export const MODEL_VERSION_SEARCH: SearchSpec = {
  subject: 'model versions',
  prefixes: { attribute: ['attribute', 'attributes'], tag: ['tag', 'tags'] },
  entityKeys: { tag: stringKey },
  filterAttributes: {
    name: { canonical: 'name', ...stringKey },
    run_id: { canonical: 'run_id', type: 'string', comparators: [...STRING_COMPARATORS, 'IN', 'NOT IN'] },
    source_path: { canonical: 'source_path', ...stringKey },
    version_number: { canonical: 'version_number', type: 'number', comparators: NUMERIC_COMPARATORS },
  },
  orderAttributes: {
    name: 'name',
    version_number: 'version_number',
    creation_timestamp: 'creation_timestamp',
    timestamp: 'last_updated_timestamp',
    last_updated_timestamp: 'last_updated_timestamp',
  },
};
