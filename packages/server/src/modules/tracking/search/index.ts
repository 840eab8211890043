/**
 * MLflow-compatible search for the tracking module: filter and order_by grammars for runs,
 * experiments and logged models, page tokens, and the SQL that answers each search with ids.
 */
export { searchRunIds, type RunSearchPage, type RunSearchQuery } from './run-search-sql.js';
export { searchExperimentIds, type ExperimentSearchPage, type ExperimentSearchQuery } from './experiment-search-sql.js';
export {
  searchLoggedModelIds,
  SEARCH_LOGGED_MODELS_DEFAULT,
  type LoggedModelDatasetFilter,
  type LoggedModelSearchPage,
  type LoggedModelSearchQuery,
} from './logged-model-search-sql.js';
export { parseFilter, type FilterComparison } from './filter-parser.js';
export {
  parseExperimentOrderBy,
  parseLoggedModelOrderBy,
  parseOrderByClause,
  parseRunOrderBy,
  type LoggedModelOrderBy,
  type LoggedModelOrderKey,
  type OrderKey,
} from './order-by.js';
export { decodePageToken, encodePageToken } from './page-token.js';
export {
  EXPERIMENT_SEARCH,
  LOGGED_MODEL_SEARCH,
  RUN_SEARCH,
  type Comparator,
  type FilterEntity,
  type ListComparator,
  type NumericComparator,
  type SearchSpec,
  type StringComparator,
} from './search-specs.js';
export { checkMaxResults, compareValue, detectDialect, orderableText, type ViewType } from './sql-expressions.js';
export { NUMERIC_COMPARATORS, STRING_COMPARATORS, type AttributeSpec, type KeySpec } from './search-specs.js';
