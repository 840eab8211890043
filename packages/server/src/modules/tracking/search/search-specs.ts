/**
 * What each searchable entity (runs, experiments, logged models) accepts, as data: identifier
 * prefixes, attribute keys and the comparators each kind of key allows. One parser reads all three
 * grammars through these tables (MLflow: SearchUtils, SearchExperimentsUtils and the logged-model
 * filter parser in mlflow/utils).
 */

export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type NumericComparator = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE';
export type ListComparator = 'IN' | 'NOT IN';
export type Comparator = NumericComparator | StringComparator | ListComparator;

export const NUMERIC_COMPARATORS: readonly NumericComparator[] = ['=', '!=', '>', '>=', '<', '<='];
export const STRING_COMPARATORS: readonly StringComparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const STRING_AND_LIST: readonly Comparator[] = [...STRING_COMPARATORS, 'IN', 'NOT IN'];

/** How a key's values are typed: numbers, or quoted strings (some also in IN lists). */
export interface KeySpec {
  type: 'number' | 'string';
  comparators: readonly Comparator[];
}

export interface AttributeSpec extends KeySpec {
  /** The canonical key this spelling stands for (`created` is `start_time`). */
  canonical: string;
}

export interface SearchSpec {
  /** Names the searched thing in messages. */
  subject: string;
  /** Accepted spellings of each entity prefix; an entity missing here cannot be used. */
  prefixes: Readonly<Partial<Record<FilterEntity, readonly string[]>>>;
  /** Comparators for keys under the non-attribute entities (metrics, params, tags, datasets). */
  entityKeys: Readonly<Partial<Record<Exclude<FilterEntity, 'attribute'>, KeySpec>>>;
  /** Attribute spellings usable in filters, with or without an attribute prefix. */
  filterAttributes: Readonly<Record<string, AttributeSpec>>;
  /** Attribute spellings usable in order_by, mapped to canonical keys. */
  orderAttributes: Readonly<Record<string, string>>;
  /** Keys valid after `datasets.` (runs only). */
  datasetKeys?: readonly string[];
}

const numericKey: KeySpec = { type: 'number', comparators: NUMERIC_COMPARATORS };
const stringKey: KeySpec = { type: 'string', comparators: STRING_COMPARATORS };

const attr = (canonical: string, spec: KeySpec): AttributeSpec => ({ canonical, ...spec });

/** The prefixes MLflow's SearchUtils accepts (`_VALID_IDENTIFIERS`), grouped by entity. */
const RUN_PREFIXES = {
  metric: ['metric', 'metrics'],
  param: ['param', 'params', 'parameter', 'parameters'],
  tag: ['tag', 'tags'],
  attribute: ['attribute', 'attributes', 'attr', 'run'],
  dataset: ['dataset', 'datasets'],
} as const;

/**
 * search_runs. Only run_id takes IN lists: MLflow's `_get_value` rejects a list for every other
 * attribute ("Only the 'run_id' attribute supports comparison with a list").
 */
export const RUN_SEARCH: SearchSpec = {
  subject: 'runs',
  prefixes: RUN_PREFIXES,
  entityKeys: {
    metric: numericKey,
    param: stringKey,
    tag: stringKey,
    dataset: { type: 'string', comparators: STRING_AND_LIST },
  },
  filterAttributes: {
    run_id: attr('run_id', { type: 'string', comparators: STRING_AND_LIST }),
    run_name: attr('run_name', stringKey),
    'run name': attr('run_name', stringKey),
    'Run name': attr('run_name', stringKey),
    'Run Name': attr('run_name', stringKey),
    status: attr('status', stringKey),
    user_id: attr('user_id', stringKey),
    artifact_uri: attr('artifact_uri', stringKey),
    start_time: attr('start_time', numericKey),
    end_time: attr('end_time', numericKey),
    created: attr('start_time', numericKey),
    Created: attr('start_time', numericKey),
  },
  orderAttributes: {
    run_id: 'run_id',
    run_name: 'run_name',
    status: 'status',
    user_id: 'user_id',
    artifact_uri: 'artifact_uri',
    start_time: 'start_time',
    end_time: 'end_time',
    created: 'start_time',
    Created: 'start_time',
  },
  datasetKeys: ['name', 'digest', 'context'],
};

/**
 * search_experiments. MLflow itself only takes `attribute.` here; `attributes.` is accepted too
 * because every other grammar spells it that way and nothing else could be meant.
 */
export const EXPERIMENT_SEARCH: SearchSpec = {
  subject: 'experiments',
  prefixes: { attribute: ['attribute', 'attributes'], tag: ['tag', 'tags'] },
  entityKeys: { tag: stringKey },
  filterAttributes: {
    name: attr('name', stringKey),
    creation_time: attr('creation_time', numericKey),
    last_update_time: attr('last_update_time', numericKey),
  },
  orderAttributes: {
    name: 'name',
    experiment_id: 'experiment_id',
    creation_time: 'creation_time',
    last_update_time: 'last_update_time',
  },
};

/**
 * search_logged_models. MLflow's SQL store accepts only the plural prefixes; the singular ones its
 * file store also accepts are taken too. IN lists on string attributes follow the file store.
 */
export const LOGGED_MODEL_SEARCH: SearchSpec = {
  subject: 'logged models',
  prefixes: {
    metric: RUN_PREFIXES.metric,
    param: RUN_PREFIXES.param,
    tag: RUN_PREFIXES.tag,
    attribute: ['attribute', 'attributes', 'attr'],
  },
  entityKeys: { metric: numericKey, param: stringKey, tag: stringKey },
  filterAttributes: {
    name: attr('name', { type: 'string', comparators: STRING_AND_LIST }),
    model_id: attr('model_id', { type: 'string', comparators: STRING_AND_LIST }),
    model_type: attr('model_type', { type: 'string', comparators: STRING_AND_LIST }),
    status: attr('status', { type: 'string', comparators: STRING_AND_LIST }),
    source_run_id: attr('source_run_id', { type: 'string', comparators: STRING_AND_LIST }),
    creation_timestamp: attr('creation_timestamp', numericKey),
    creation_time: attr('creation_timestamp', numericKey),
    last_updated_timestamp: attr('last_updated_timestamp', numericKey),
    last_updated_time: attr('last_updated_timestamp', numericKey),
  },
  orderAttributes: {
    name: 'name',
    model_id: 'model_id',
    model_type: 'model_type',
    status: 'status',
    source_run_id: 'source_run_id',
    creation_timestamp: 'creation_timestamp',
    creation_time: 'creation_timestamp',
    last_updated_timestamp: 'last_updated_timestamp',
    last_updated_time: 'last_updated_timestamp',
  },
};

/** Resolves a written prefix (`metrics`, `param`, ...) to its entity, or undefined. */
export function entityForPrefix(spec: SearchSpec, prefix: string): FilterEntity | undefined {
  for (const [entity, spellings] of Object.entries(spec.prefixes) as [FilterEntity, readonly string[]][]) {
    if (spellings.includes(prefix)) return entity;
  }
  return undefined;
}

export function allPrefixes(spec: SearchSpec): string[] {
  return Object.values(spec.prefixes).flatMap((spellings) => [...spellings]);
}
