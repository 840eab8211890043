import { invalidParameter } from '../../../core/errors.js';
import { readIdentifierParts, resolveIdentifier } from './filter-parser.js';
import { EXPERIMENT_SEARCH, LOGGED_MODEL_SEARCH, RUN_SEARCH, type SearchSpec } from './search-specs.js';
import { isKeyword, tokenize, TokenStream } from './tokenizer.js';

/** One sort key of search_runs / search_experiments: `metrics.acc DESC`, `start_time`, ... */
export interface OrderKey {
  entity: 'metric' | 'param' | 'tag' | 'attribute';
  /** Canonical for attributes (`created` arrives as `start_time`). */
  key: string;
  ascending: boolean;
}

/** search_logged_models takes structured order_by entries rather than strings. */
export interface LoggedModelOrderBy {
  field_name: string;
  ascending?: boolean;
  dataset_name?: string;
  dataset_digest?: string;
}

export interface LoggedModelOrderKey {
  entity: 'metric' | 'attribute';
  key: string;
  ascending: boolean;
  datasetName?: string;
  datasetDigest?: string;
}

/**
 * Parses `identifier [ASC|DESC]`; the direction defaults to ascending and is case-insensitive.
 * Identifiers quote as in filters: metrics.`a b` DESC, params."x.y".
 */
export function parseOrderByClause(clause: string, spec: SearchSpec): OrderKey {
  if (clause.trim() === '') throw invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  const stream = new TokenStream(tokenize(clause, 'order_by clause'));
  const id = resolveIdentifier(readIdentifierParts(stream, clause, 'order_by clause'), spec, 'order_by');
  let ascending = true;
  if (stream.peek().kind === 'word') {
    const direction = stream.next();
    if (isKeyword(direction, 'DESC')) ascending = false;
    else if (!isKeyword(direction, 'ASC')) throw invalidParameter(`Invalid ordering key in order_by clause '${clause}'.`);
  }
  if (!stream.atEnd()) throw invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  if (id.entity === 'dataset') throw invalidParameter(`Invalid order_by entity '${id.label}' in '${clause}'`);
  return { entity: id.entity, key: id.key, ascending };
}

/** search_runs order_by; a field may appear once (MLflow rejects duplicates). */
export function parseRunOrderBy(clauses: readonly string[] | undefined): OrderKey[] {
  const keys = (clauses ?? []).map((c) => parseOrderByClause(c, RUN_SEARCH));
  const seen = new Set<string>();
  for (const k of keys) {
    // run_name may be spelled as the tag it mirrors; both sort by the same column.
    const field = k.entity === 'tag' && k.key === 'mlflow.runName' ? 'attribute\0run_name' : `${k.entity}\0${k.key}`;
    if (seen.has(field)) throw invalidParameter(`\`order_by\` contains duplicate fields: [${(clauses ?? []).map((c) => `'${c}'`).join(', ')}]`);
    seen.add(field);
  }
  return keys;
}

/**
 * search_experiments order_by: attributes only. Without one, MLflow orders by creation_time DESC,
 * experiment_id ASC; a list lacking experiment_id gets experiment_id DESC as its tie-breaker.
 */
export function parseExperimentOrderBy(clauses: readonly string[] | undefined): OrderKey[] {
  const given = clauses?.length ? clauses : ['creation_time DESC', 'experiment_id ASC'];
  const keys = given.map((c) => parseOrderByClause(c, EXPERIMENT_SEARCH));
  for (const k of keys) {
    if (k.entity !== 'attribute') throw invalidParameter(`Invalid order_by entity: ${k.entity}`);
  }
  if (!keys.some((k) => k.key === 'experiment_id')) keys.push({ entity: 'attribute', key: 'experiment_id', ascending: false });
  return keys;
}

/**
 * search_logged_models order_by: `metrics.<name>` (optionally scoped to a dataset) or an
 * attribute. Tie-breakers follow MLflow: creation_timestamp DESC unless given, then model_id.
 */
export function parseLoggedModelOrderBy(entries: readonly LoggedModelOrderBy[] | undefined): LoggedModelOrderKey[] {
  const keys: LoggedModelOrderKey[] = [];
  for (const entry of entries ?? []) {
    if (typeof entry !== 'object' || entry === null) throw invalidParameter('`order_by` must be a list of dictionaries.');
    const field = entry.field_name;
    if (typeof field !== 'string' || field === '') throw invalidParameter('`field_name` in the `order_by` clause must be specified.');
    const ascending = entry.ascending ?? true;
    if (typeof ascending !== 'boolean') {
      throw invalidParameter(`Value of \`ascending\` in the \`order_by\` clause must be a boolean, got ${typeof ascending} for field ${field}.`);
    }
    if (entry.dataset_digest && !entry.dataset_name) {
      throw invalidParameter('`dataset_digest` can only be specified if `dataset_name` is also specified.');
    }
    const dot = field.indexOf('.');
    if (dot >= 0) {
      const entity = field.slice(0, dot);
      if (entity !== 'metrics') throw invalidParameter(`Invalid order by field name: ${entity}, only \`metrics.<name>\` is allowed.`);
      const key: LoggedModelOrderKey = { entity: 'metric', key: field.slice(dot + 1), ascending };
      if (entry.dataset_name) key.datasetName = entry.dataset_name;
      if (entry.dataset_digest) key.datasetDigest = entry.dataset_digest;
      keys.push(key);
      continue;
    }
    const name = field.trim();
    const canonical = Object.hasOwn(LOGGED_MODEL_SEARCH.orderAttributes, name) ? LOGGED_MODEL_SEARCH.orderAttributes[name] : undefined;
    if (canonical === undefined) throw invalidParameter(`Invalid order by field name: ${field}.`);
    keys.push({ entity: 'attribute', key: canonical, ascending });
  }
  if (!keys.some((k) => k.entity === 'attribute' && k.key === 'creation_timestamp')) {
    keys.push({ entity: 'attribute', key: 'creation_timestamp', ascending: false });
  }
  if (!keys.some((k) => k.entity === 'attribute' && k.key === 'model_id')) keys.push({ entity: 'attribute', key: 'model_id', ascending: true });
  return keys;
}
