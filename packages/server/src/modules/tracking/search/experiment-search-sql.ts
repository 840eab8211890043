import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../../ports/sql.js';
import { LIMITS } from '../limits.js';
import type { TrackingTables } from '../tables.js';
import { parseFilter, type FilterComparison } from './filter-parser.js';
import { parseExperimentOrderBy } from './order-by.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { EXPERIMENT_SEARCH } from './search-specs.js';
import { checkMaxResults, compareValue, detectDialect, orderableText, stageFor, type ViewType } from './sql-expressions.js';

export interface ExperimentSearchQuery {
  viewType: ViewType;
  filter?: string;
  orderBy?: readonly string[];
  /** Defaults to MLflow's 1000. */
  maxResults?: number;
  pageToken?: string;
  /** Keeps only experiments the caller may read (security's condition over `experiments`); absent for everyone. */
  visible?: RawBuilder<SqlBool>;
}

export interface ExperimentSearchPage {
  experimentIds: number[];
  nextPageToken?: string;
}

/** Experiment attributes as columns: parsed keys select from this closed table. */
const EXPERIMENT_COLUMNS = {
  name: 'experiments.name',
  experiment_id: 'experiments.experiment_id',
  creation_time: 'experiments.creation_time',
  last_update_time: 'experiments.last_update_time',
} as const;

/**
 * search_experiments: the ids of one page of experiments. Ordered by creation_time DESC then
 * experiment_id ASC unless order_by says otherwise (then experiment_id DESC breaks ties, as in
 * MLflow). No column here can be NULL, so no ranks for missing values are needed.
 */
export async function searchExperimentIds(db: Kysely<TrackingTables>, q: ExperimentSearchQuery): Promise<ExperimentSearchPage> {
  const maxResults = checkMaxResults(q.maxResults, LIMITS.searchExperimentsDefault, LIMITS.searchExperimentsMax);
  const comparisons = parseFilter(q.filter, EXPERIMENT_SEARCH);
  const order = parseExperimentOrderBy(q.orderBy);
  const offset = decodePageToken(q.pageToken);
  const stage = stageFor(q.viewType);
  const dialect = detectDialect(db);

  let query = db.selectFrom('experiments').select('experiments.experiment_id');
  // Access control filters in SQL, before LIMIT/OFFSET, so pages stay full and tokens stay exact.
  if (q.visible) query = query.where(q.visible);
  if (stage) query = query.where('experiments.lifecycle_stage', '=', stage);
  for (const c of comparisons) query = query.where((eb) => experimentCondition(eb, dialect, c));
  for (const key of order) {
    const column = experimentColumn(key.key);
    const value = column === 'experiments.name' ? orderableText(dialect, sql.ref(column)) : sql.ref(column);
    query = query.orderBy(value, key.ascending ? 'asc' : 'desc');
  }

  const rows = await query.limit(maxResults + 1).offset(offset).execute();
  const page: ExperimentSearchPage = { experimentIds: rows.slice(0, maxResults).map((r) => Number(r.experiment_id)) };
  if (rows.length > maxResults) page.nextPageToken = encodePageToken(offset + maxResults);
  return page;
}

function experimentCondition(eb: ExpressionBuilder<TrackingTables, 'experiments'>, dialect: SqlDialect, c: FilterComparison): Expression<SqlBool> {
  if (c.entity === 'attribute') return compareValue(dialect, sql.ref(experimentColumn(c.key)), c);
  return eb.exists(
    eb
      .selectFrom('experiment_tags as t')
      .select(sql.lit(1).as('one'))
      .whereRef('t.experiment_id', '=', 'experiments.experiment_id')
      .where('t.key', '=', c.key)
      .where(compareValue(dialect, sql.ref('t.value'), c)),
  );
}

function experimentColumn(key: string): (typeof EXPERIMENT_COLUMNS)[keyof typeof EXPERIMENT_COLUMNS] {
  if (!Object.hasOwn(EXPERIMENT_COLUMNS, key)) throw new Error(`experiment attribute '${key}' has no column`);
  return EXPERIMENT_COLUMNS[key as keyof typeof EXPERIMENT_COLUMNS];
}
