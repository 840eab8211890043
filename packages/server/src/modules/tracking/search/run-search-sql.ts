import { expressionBuilder, sql, type Compilable, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../../ports/sql.js';
import { LIMITS } from '../limits.js';
import type { TrackingTables } from '../tables.js';
import { parseFilter } from './filter-parser.js';
import { parseRunOrderBy, type OrderKey } from './order-by.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { orderTerms, RUN_NAME_TAG, runCondition, tieBreakers, type OrderTerm } from './run-conditions.js';
import { RUN_SEARCH } from './search-specs.js';
import { checkMaxResults, detectDialect, nullsLastRank, orderableText, stageFor, type ViewType } from './sql-expressions.js';

export interface RunSearchQuery {
  experimentIds: readonly number[];
  filter?: string;
  runViewType: ViewType;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
}

export interface RunSearchPage {
  runIds: string[];
  /** Present only when another page exists. */
  nextPageToken?: string;
}

/** A search's rows in their final order, from some offset. */
export interface RunSlice {
  query(limit: number, offset: number): Compilable<{ run_uuid: string }> & { execute(): Promise<{ run_uuid: string }[]> };
}

/**
 * How a search is answered. `all` is every matching run in order. When the first order key is a
 * metric, param or tag, `head` instead streams the runs that have a value for it straight from the
 * (key, value) index and stops after one page, rather than looking that value up for every run and
 * sorting them all; `tail` holds the runs without a value, which sort after them in either direction.
 */
export interface RunSearchPlan {
  maxResults: number;
  offset: number;
  all: RunSlice;
  split?: { head: RunSlice; tail: RunSlice };
}

type ValueKey = OrderKey & { entity: 'metric' | 'param' | 'tag' };

/**
 * Streaming from the index pays per run it skips, sorting everything pays per run in the search:
 * past this many rows the latter is the cheaper, predictable choice.
 */
export const STREAMING_ROW_LIMIT = 2000;

/**
 * search_runs: the ids of one page of runs in MLflow's order. Missing values sort last in both
 * directions (for metrics, NaN just before them), then start_time DESC, then run_uuid.
 */
export async function searchRunIds(db: Kysely<TrackingTables>, q: RunSearchQuery): Promise<RunSearchPage> {
  const plan = planRunSearch(db, q);
  if (!plan) return { runIds: [] };
  const { maxResults, offset } = plan;
  // One extra row tells whether another page exists without a COUNT.
  const wanted = maxResults + 1;
  let ids: string[];
  if (plan.split && offset + wanted <= STREAMING_ROW_LIMIT) {
    // Reading the head from its start (rather than with OFFSET, which costs the same) tells its
    // exact size when it runs out, which is where the tail's rows start.
    const head = await runIds(plan.split.head, offset + wanted, 0);
    ids = head.slice(offset);
    if (head.length < offset + wanted) {
      ids = ids.concat(await runIds(plan.split.tail, wanted - ids.length, Math.max(0, offset - head.length)));
    }
  } else {
    ids = await runIds(plan.all, wanted, offset);
  }
  const page: RunSearchPage = { runIds: ids.slice(0, maxResults) };
  if (ids.length > maxResults) page.nextPageToken = encodePageToken(offset + maxResults);
  return page;
}

async function runIds(slice: RunSlice, limit: number, offset: number): Promise<string[]> {
  return (await slice.query(limit, offset).execute()).map((r) => r.run_uuid);
}

/**
 * Validates a search and plans its queries; undefined when it cannot match anything. Exported so
 * tests can EXPLAIN exactly what searchRunIds runs and compare its strategies.
 */
export function planRunSearch(db: Kysely<TrackingTables>, q: RunSearchQuery): RunSearchPlan | undefined {
  const maxResults = checkMaxResults(q.maxResults, LIMITS.searchRunsDefault, LIMITS.searchRunsMax);
  const comparisons = parseFilter(q.filter, RUN_SEARCH);
  const order = parseRunOrderBy(q.orderBy);
  const offset = decodePageToken(q.pageToken);
  const stage = stageFor(q.runViewType);
  if (q.experimentIds.length === 0) return undefined;
  const dialect = detectDialect(db);

  const eb = expressionBuilder<TrackingTables, 'runs'>();
  const scope: Expression<SqlBool>[] = [eb('runs.experiment_id', 'in', [...q.experimentIds])];
  if (stage) scope.push(eb('runs.lifecycle_stage', '=', stage));
  for (const c of comparisons) scope.push(runCondition(dialect, c));
  const where = eb.and(scope);

  const [first, ...others] = order;
  const laterTerms = [...others.flatMap((k) => orderTerms(dialect, k)), ...tieBreakers(dialect, order)];
  if (!first || !isValueKey(first)) {
    const terms = [...(first ? orderTerms(dialect, first) : []), ...laterTerms];
    const base = db.selectFrom('runs').select('runs.run_uuid').where(where);
    return { maxResults, offset, all: { query: (limit, off) => ordered(base, terms).limit(limit).offset(off) } };
  }
  return {
    maxResults,
    offset,
    all: joinedSlice(db, dialect, first, where, laterTerms, false),
    split: { head: headSlice(db, dialect, first, where, laterTerms), tail: joinedSlice(db, dialect, first, where, laterTerms, true) },
  };
}

function isValueKey(key: OrderKey): key is ValueKey {
  // The run name tag is the runs.name column, which has no (key, value) index to stream from.
  return key.entity === 'metric' || key.entity === 'param' || (key.entity === 'tag' && key.key !== RUN_NAME_TAG);
}

interface Orderable<Q> {
  orderBy(expr: OrderTerm[0], direction: OrderTerm[1]): Q;
}

function ordered<Q extends Orderable<Q>>(query: Q, terms: readonly OrderTerm[]): Q {
  let out = query;
  for (const [expr, direction] of terms) out = out.orderBy(expr, direction);
  return out;
}

/**
 * All matching runs ordered by a first key held in its own table, joined once per run (rank for
 * missing values and NaN, then value). With `onlyWithout`, just the runs lacking a value.
 */
function joinedSlice(
  db: Kysely<TrackingTables>,
  dialect: SqlDialect,
  key: ValueKey,
  where: Expression<SqlBool>,
  laterTerms: readonly OrderTerm[],
  onlyWithout: boolean,
): RunSlice {
  const direction = key.ascending ? 'asc' : 'desc';
  if (key.entity === 'metric') {
    let base = db
      .selectFrom('runs')
      .leftJoin('latest_metrics as o', (join) => join.onRef('o.run_uuid', '=', 'runs.run_uuid').on('o.key', '=', key.key))
      .select('runs.run_uuid')
      .where(where);
    if (onlyWithout) base = base.where((w) => w.or([w('o.run_uuid', 'is', null), w('o.is_nan', '=', 1)]));
    // is_nan is 0 or 1 when the metric exists; 2 ranks a missing metric after NaN.
    const terms: OrderTerm[] = [[sql`coalesce(${sql.ref('o.is_nan')}, 2)`, 'asc'], [sql`${sql.ref('o.value')}`, direction], ...laterTerms];
    return { query: (limit, offset) => ordered(base, terms).limit(limit).offset(offset) };
  }
  let base = db
    .selectFrom('runs')
    .leftJoin(key.entity === 'param' ? 'run_params as o' : 'run_tags as o', (join) => join.onRef('o.run_uuid', '=', 'runs.run_uuid').on('o.key', '=', key.key))
    .select('runs.run_uuid')
    .where(where);
  if (onlyWithout) base = base.where('o.run_uuid', 'is', null);
  const value = sql.ref('o.value');
  const terms: OrderTerm[] = [[nullsLastRank(value), 'asc'], [orderableText(dialect, value), direction], ...laterTerms];
  return { query: (limit, offset) => ordered(base, terms).limit(limit).offset(offset) };
}

/**
 * Runs that have a value for `key`, driven from the key's (key, value) index in order. CROSS JOIN
 * makes SQLite keep that table outermost (a plain join lets it start from runs and sort
 * everything); PostgreSQL reads it as an inner join and plans freely.
 */
function headSlice(db: Kysely<TrackingTables>, dialect: SqlDialect, key: ValueKey, where: Expression<SqlBool>, laterTerms: readonly OrderTerm[]): RunSlice {
  const direction = key.ascending ? 'asc' : 'desc';
  const base =
    key.entity === 'metric'
      ? db
          .selectFrom('latest_metrics as o')
          .crossJoin('runs')
          .select('runs.run_uuid')
          .whereRef('runs.run_uuid', '=', 'o.run_uuid')
          .where('o.key', '=', key.key)
          .where('o.is_nan', '=', 0)
          .where(where)
      : db
          .selectFrom(key.entity === 'param' ? 'run_params as o' : 'run_tags as o')
          .crossJoin('runs')
          .select('runs.run_uuid')
          .whereRef('runs.run_uuid', '=', 'o.run_uuid')
          .where('o.key', '=', key.key)
          .where(where);
  const value = key.entity === 'metric' ? sql`${sql.ref('o.value')}` : orderableText(dialect, sql.ref('o.value'));
  const terms: OrderTerm[] = [[value, direction], ...laterTerms];
  return { query: (limit, offset) => ordered(base, terms).limit(limit).offset(offset) };
}
