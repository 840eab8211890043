import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { invalidParameter } from '../../../core/errors.js';
import type { SqlDialect } from '../../../ports/sql.js';
import { LIMITS } from '../limits.js';
import type { TrackingTables } from '../tables.js';
import { parseFilter, type FilterComparison } from './filter-parser.js';
import { parseLoggedModelOrderBy, type LoggedModelOrderBy, type LoggedModelOrderKey } from './order-by.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { LOGGED_MODEL_SEARCH } from './search-specs.js';
import { checkMaxResults, compareNumber, compareValue, detectDialect, nullsLastRank, orderableText, stageFor, type ViewType } from './sql-expressions.js';

/** Restricts metric filters to metrics logged against one of these datasets. */
export interface LoggedModelDatasetFilter {
  dataset_name: string;
  dataset_digest?: string;
}

export interface LoggedModelSearchQuery {
  experimentIds: readonly number[];
  filter?: string;
  datasets?: readonly LoggedModelDatasetFilter[];
  orderBy?: readonly LoggedModelOrderBy[];
  /** MLflow only ever returns non-deleted models; ACTIVE_ONLY is the default here too. */
  viewType?: ViewType;
  /** Defaults to MLflow's 100. */
  maxResults?: number;
  pageToken?: string;
}

export interface LoggedModelSearchPage {
  modelIds: string[];
  nextPageToken?: string;
}

/** MLflow's SEARCH_LOGGED_MODEL_MAX_RESULTS_DEFAULT. */
export const SEARCH_LOGGED_MODELS_DEFAULT = 100;

type ModelsEb = ExpressionBuilder<TrackingTables, 'logged_models'>;

/** Logged-model attributes as columns: parsed keys select from this closed table. */
const MODEL_COLUMNS = {
  name: 'logged_models.name',
  model_id: 'logged_models.model_id',
  model_type: 'logged_models.model_type',
  status: 'logged_models.status',
  source_run_id: 'logged_models.source_run_id',
  creation_timestamp: 'logged_models.creation_timestamp_ms',
  last_updated_timestamp: 'logged_models.last_updated_timestamp_ms',
} as const;
const NULLABLE = new Set(['logged_models.model_type', 'logged_models.source_run_id']);
const NUMERIC = new Set(['logged_models.creation_timestamp_ms', 'logged_models.last_updated_timestamp_ms']);

/**
 * search_logged_models: the ids of one page of logged models. A metric filter matches when any
 * of the model's (non-NaN) metric points with that key satisfies it, as in MLflow's SQL store;
 * `datasets` narrows those points, and alone keeps models with any metric on those datasets.
 * Ordering by a metric uses its latest point (by timestamp, then step) on the entry's dataset.
 */
export async function searchLoggedModelIds(db: Kysely<TrackingTables>, q: LoggedModelSearchQuery): Promise<LoggedModelSearchPage> {
  const maxResults = checkMaxResults(q.maxResults, SEARCH_LOGGED_MODELS_DEFAULT, LIMITS.searchRunsMax);
  const datasets = q.datasets ?? [];
  if (datasets.some((d) => !d.dataset_name)) throw invalidParameter('`dataset_name` in the `datasets` clause must be specified.');
  const comparisons = parseFilter(q.filter, LOGGED_MODEL_SEARCH);
  const order = parseLoggedModelOrderBy(q.orderBy);
  // The token remembers its query, as MLflow's does, so it cannot page through a different one.
  const tokenContext = {
    experiment_ids: q.experimentIds.map(String),
    filter_string: q.filter || null,
    order_by: q.orderBy?.length ? q.orderBy : null,
  };
  const offset = decodePageToken(q.pageToken, tokenContext);
  const stage = stageFor(q.viewType ?? 'ACTIVE_ONLY');
  if (q.experimentIds.length === 0) return { modelIds: [] };
  const dialect = detectDialect(db);

  let query = db.selectFrom('logged_models').select('logged_models.model_id').where('logged_models.experiment_id', 'in', [...q.experimentIds]);
  if (stage) query = query.where('logged_models.lifecycle_stage', '=', stage);
  for (const c of comparisons) query = query.where((eb) => modelCondition(eb, dialect, c, datasets));
  if (datasets.length && !comparisons.some((c) => c.entity === 'metric')) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('logged_model_metrics as lm')
          .select(sql.lit(1).as('one'))
          .whereRef('lm.model_id', '=', 'logged_models.model_id')
          .where((inner) => onDatasets(inner, datasets)),
      ),
    );
  }
  for (const key of order) query = applyOrder(query, dialect, key);

  const rows = await query.limit(maxResults + 1).offset(offset).execute();
  const page: LoggedModelSearchPage = { modelIds: rows.slice(0, maxResults).map((r) => r.model_id) };
  if (rows.length > maxResults) page.nextPageToken = encodePageToken(offset + maxResults, tokenContext);
  return page;
}

type MetricsEb = ExpressionBuilder<TrackingTables & { lm: TrackingTables['logged_model_metrics'] }, 'lm'>;

function onDatasets(eb: MetricsEb, datasets: readonly LoggedModelDatasetFilter[]): Expression<SqlBool> {
  return eb.or(
    datasets.map((d) =>
      d.dataset_digest
        ? eb.and([eb('lm.dataset_name', '=', d.dataset_name), eb('lm.dataset_digest', '=', d.dataset_digest)])
        : eb('lm.dataset_name', '=', d.dataset_name),
    ),
  );
}

function modelCondition(eb: ModelsEb, dialect: SqlDialect, c: FilterComparison, datasets: readonly LoggedModelDatasetFilter[]): Expression<SqlBool> {
  switch (c.entity) {
    case 'attribute':
      return compareValue(dialect, sql.ref(modelColumn(c.key)), c);
    case 'metric': {
      if (c.kind !== 'number') throw new Error('metric comparisons are numeric');
      let points = eb
        .selectFrom('logged_model_metrics as lm')
        .select(sql.lit(1).as('one'))
        .whereRef('lm.model_id', '=', 'logged_models.model_id')
        .where('lm.key', '=', c.key)
        .where('lm.is_nan', '=', 0)
        .where(compareNumber(sql.ref('lm.value'), c.comparator, c.value));
      if (datasets.length) points = points.where((inner) => onDatasets(inner, datasets));
      return eb.exists(points);
    }
    case 'param':
    case 'tag': {
      const table = c.entity === 'param' ? 'logged_model_params as kv' : 'logged_model_tags as kv';
      return eb.exists(
        eb
          .selectFrom(table)
          .select(sql.lit(1).as('one'))
          .whereRef('kv.model_id', '=', 'logged_models.model_id')
          .where('kv.key', '=', c.key)
          .where(compareValue(dialect, sql.ref('kv.value'), c)),
      );
    }
    case 'dataset':
      throw new Error('logged-model filters have no dataset entity');
  }
}

type ModelsQuery = SelectQueryBuilder<TrackingTables, 'logged_models', { model_id: string }>;

/** Adds one key's ORDER BY terms: a rank sending missing values (then NaN before them) last, then the value. */
function applyOrder(query: ModelsQuery, dialect: SqlDialect, key: LoggedModelOrderKey): ModelsQuery {
  const direction = key.ascending ? 'asc' : 'desc';
  if (key.entity === 'attribute') {
    const column = modelColumn(key.key);
    const ref = sql.ref(column);
    if (NULLABLE.has(column)) query = query.orderBy(nullsLastRank(ref), 'asc');
    return query.orderBy(NUMERIC.has(column) ? ref : orderableText(dialect, ref), direction);
  }
  const latest = (column: 'value' | 'is_nan') => (eb: ModelsEb) => {
    let points = eb
      .selectFrom('logged_model_metrics as lm')
      .select(`lm.${column}`)
      .whereRef('lm.model_id', '=', 'logged_models.model_id')
      .where('lm.key', '=', key.key);
    if (key.datasetName !== undefined) points = points.where('lm.dataset_name', '=', key.datasetName);
    if (key.datasetDigest !== undefined) points = points.where('lm.dataset_digest', '=', key.datasetDigest);
    // The rest of the primary key makes "latest" one definite row for both subqueries.
    return points
      .orderBy('lm.timestamp', 'desc')
      .orderBy('lm.step', 'desc')
      .orderBy('lm.run_id')
      .orderBy('lm.dataset_name')
      .orderBy('lm.dataset_digest')
      .limit(1);
  };
  return query
    .orderBy((eb) => sql`coalesce(${latest('is_nan')(eb)}, 2)`, 'asc')
    .orderBy((eb) => latest('value')(eb), direction);
}

function modelColumn(key: string): (typeof MODEL_COLUMNS)[keyof typeof MODEL_COLUMNS] {
  if (!Object.hasOwn(MODEL_COLUMNS, key)) throw new Error(`logged-model attribute '${key}' has no column`);
  return MODEL_COLUMNS[key as keyof typeof MODEL_COLUMNS];
}
