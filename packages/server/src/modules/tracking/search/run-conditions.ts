import { expressionBuilder, sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../../ports/sql.js';
import type { TrackingTables } from '../tables.js';
import type { FilterComparison } from './filter-parser.js';
import type { OrderKey } from './order-by.js';
import { compareNumber, compareValue, nullsLastRank, orderableText } from './sql-expressions.js';

/**
 * The WHERE and ORDER BY pieces of search_runs, as expressions over `runs` that any query with
 * `runs` in scope can use. A filter on metrics, params or tags is an EXISTS on the run's own rows
 * (primary-key lookups) and one on datasets an IN, so AND-ed conditions never multiply rows.
 */

/** Run attributes as columns. A closed table: parsed keys select from it, never name columns. */
const RUN_COLUMNS = {
  run_id: 'runs.run_uuid',
  run_name: 'runs.name',
  status: 'runs.status',
  user_id: 'runs.user_id',
  artifact_uri: 'runs.artifact_uri',
  start_time: 'runs.start_time',
  end_time: 'runs.end_time',
} as const;

type RunColumn = (typeof RUN_COLUMNS)[keyof typeof RUN_COLUMNS];

/** The tag MLflow mirrors the run name into; Capstan keeps runs.name equal to it. */
export const RUN_NAME_TAG = 'mlflow.runName';
const DATASET_CONTEXT_TAG = 'mlflow.data.context';

const eb = expressionBuilder<TrackingTables, 'runs'>();

export function runCondition(dialect: SqlDialect, c: FilterComparison): Expression<SqlBool> {
  switch (c.entity) {
    case 'attribute':
      return compareValue(dialect, sql.ref(attributeColumn(c.key)), c);
    case 'metric':
      if (c.kind !== 'number') throw new Error('metric comparisons are numeric');
      // NaN is stored as value 0 with is_nan = 1; it must not satisfy any numeric comparison.
      return eb.exists(
        eb
          .selectFrom('latest_metrics as m')
          .select(sql.lit(1).as('one'))
          .whereRef('m.run_uuid', '=', 'runs.run_uuid')
          .where('m.key', '=', c.key)
          .where('m.is_nan', '=', 0)
          .where(compareNumber(sql.ref('m.value'), c.comparator, c.value)),
      );
    case 'param':
      return eb.exists(
        eb
          .selectFrom('run_params as p')
          .select(sql.lit(1).as('one'))
          .whereRef('p.run_uuid', '=', 'runs.run_uuid')
          .where('p.key', '=', c.key)
          .where(compareValue(dialect, sql.ref('p.value'), c)),
      );
    case 'tag':
      if (c.key === RUN_NAME_TAG) return compareValue(dialect, sql.ref('runs.name'), c);
      return eb.exists(
        eb
          .selectFrom('run_tags as t')
          .select(sql.lit(1).as('one'))
          .whereRef('t.run_uuid', '=', 'runs.run_uuid')
          .where('t.key', '=', c.key)
          .where(compareValue(dialect, sql.ref('t.value'), c)),
      );
    case 'dataset':
      return datasetCondition(dialect, c);
  }
}

/**
 * datasets.name / digest / context: some dataset input of the run matches, as in MLflow. The
 * context is the input's `mlflow.data.context` tag. Unlike the other filters this is an IN over
 * one uncorrelated subquery: correlated, SQLite may walk every dataset input for each run, as it
 * prefers the covering (source_type, ...) index to inputs_destination when it has no statistics.
 */
function datasetCondition(dialect: SqlDialect, c: FilterComparison): Expression<SqlBool> {
  const inputs = eb.selectFrom('inputs as i').select('i.destination_id').where('i.destination_type', '=', 'RUN').where('i.source_type', '=', 'DATASET');
  if (c.key === 'context') {
    return eb(
      'runs.run_uuid',
      'in',
      inputs
        .innerJoin('input_tags as it', 'it.input_uuid', 'i.input_uuid')
        .where('it.name', '=', DATASET_CONTEXT_TAG)
        .where(compareValue(dialect, sql.ref('it.value'), c)),
    );
  }
  const column = c.key === 'digest' ? 'd.digest' : 'd.name';
  return eb('runs.run_uuid', 'in', inputs.innerJoin('datasets as d', 'd.dataset_uuid', 'i.source_id').where(compareValue(dialect, sql.ref(column), c)));
}

function attributeColumn(key: string): RunColumn {
  if (!Object.hasOwn(RUN_COLUMNS, key)) throw new Error(`run attribute '${key}' has no column`);
  return RUN_COLUMNS[key as keyof typeof RUN_COLUMNS];
}

export type OrderTerm = [RawBuilder<unknown>, 'asc' | 'desc'];

/**
 * The ORDER BY terms for one key: a rank that sends missing values (and NaN metrics, just before
 * them) to the end whatever the direction, then the value itself. MLflow does the same with CASE
 * expressions because not every database has NULLS LAST.
 */
export function orderTerms(dialect: SqlDialect, key: OrderKey): OrderTerm[] {
  const direction = key.ascending ? 'asc' : 'desc';
  if (key.entity === 'attribute' || (key.entity === 'tag' && key.key === RUN_NAME_TAG)) {
    const column = key.entity === 'tag' ? 'runs.name' : attributeColumn(key.key);
    const ref = sql.ref(column);
    const value = column === 'runs.start_time' || column === 'runs.end_time' ? sql`${ref}` : orderableText(dialect, ref);
    // Only end_time may be NULL; a constant rank on the others would only cost the planner.
    return column === 'runs.end_time' ? [[nullsLastRank(ref), 'asc'], [value, direction]] : [[value, direction]];
  }
  if (key.entity === 'metric') {
    const latest = (column: 'value' | 'is_nan') =>
      sql`(select ${sql.ref(`m.${column}`)} from latest_metrics as m where m.run_uuid = runs.run_uuid and m.key = ${key.key})`;
    // is_nan is 0 or 1 when the metric exists; 2 ranks a missing metric after NaN.
    return [
      [sql`coalesce(${latest('is_nan')}, 2)`, 'asc'],
      [latest('value'), direction],
    ];
  }
  const table = key.entity === 'param' ? sql.table('run_params') : sql.table('run_tags');
  const value = sql`(select kv.value from ${table} as kv where kv.run_uuid = runs.run_uuid and kv.key = ${key.key})`;
  return [
    [nullsLastRank(value), 'asc'],
    [orderableText(dialect, value), direction],
  ];
}

/** MLflow's tie-breakers: start_time DESC unless the order already has it, then run_uuid. */
export function tieBreakers(dialect: SqlDialect, order: readonly OrderKey[]): OrderTerm[] {
  const terms: OrderTerm[] = [];
  if (!order.some((k) => k.entity === 'attribute' && k.key === 'start_time')) terms.push([sql`${sql.ref('runs.start_time')}`, 'desc']);
  terms.push([orderableText(dialect, sql.ref('runs.run_uuid')), 'asc']);
  return terms;
}
