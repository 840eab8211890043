import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { invalidParameter } from '../../../core/errors.js';
import { mlflowSearch } from '../../tracking/index.js';
import type { RegistryContext } from '../registry-context.js';
import type { RegistryTables } from '../tables.js';
import { MODEL_VERSION_SEARCH, REGISTERED_MODEL_SEARCH } from './registry-search-specs.js';

type FilterComparison = mlflowSearch.FilterComparison;

export interface RegistrySearchQuery {
  filter?: string;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
  /** Keeps only models the caller may read (security's condition over `registered_models`). */
  visible?: RawBuilder<SqlBool>;
}

const MODEL_COLUMNS = { name: 'registered_models.name', last_updated_timestamp: 'registered_models.last_updated_timestamp', creation_timestamp: 'registered_models.creation_timestamp' } as const;
const VERSION_COLUMNS = {
  name: 'registered_models.name',
  version_number: 'model_versions.version',
  creation_timestamp: 'model_versions.creation_timestamp',
  last_updated_timestamp: 'model_versions.last_updated_timestamp',
  run_id: 'model_versions.run_id',
  source_path: 'model_versions.source',
} as const;

function orderKeys(clauses: readonly string[] | undefined, spec: mlflowSearch.SearchSpec) {
  const keys = (clauses ?? []).map((c) => mlflowSearch.parseOrderByClause(c, spec));
  for (const k of keys) if (k.entity !== 'attribute') throw invalidParameter(`Invalid order_by entity '${k.entity}': ${spec.subject} order only by attributes.`);
  return keys;
}

/**
 * A tag comparison. `!=` matches models without the tag too: MLflow 3 clients hide prompts with
 * ``tags.`mlflow.prompt.is_prompt` != 'true'`` and expect every ordinary model back.
 */
function tagCondition(ctx: RegistryContext, table: 'registered_model_tags' | 'model_version_tags', outer: RawBuilder<SqlBool>, c: FilterComparison): RawBuilder<SqlBool> {
  const t = sql.table(table);
  if (c.comparator === '!=') {
    const equal = mlflowSearch.compareValue(ctx.dialect, sql.ref('t.value'), { ...c, comparator: '=' } as FilterComparison);
    return sql<SqlBool>`not exists (select 1 from ${t} t where ${outer} and t.key = ${c.key} and ${equal})`;
  }
  return sql<SqlBool>`exists (select 1 from ${t} t where ${outer} and t.key = ${c.key} and ${mlflowSearch.compareValue(ctx.dialect, sql.ref('t.value'), c)})`;
}

export async function searchRegisteredModelIds(ctx: RegistryContext, q: RegistrySearchQuery): Promise<{ modelIds: number[]; nextPageToken?: string }> {
  const comparisons = mlflowSearch.parseFilter(q.filter, REGISTERED_MODEL_SEARCH);
  const order = orderKeys(q.orderBy, REGISTERED_MODEL_SEARCH);
  const offset = mlflowSearch.decodePageToken(q.pageToken);
  let query = ctx.db.selectFrom('registered_models').select('registered_models.model_id');
  if (q.visible) query = query.where(q.visible);
  for (const c of comparisons) {
    query = query.where(
      c.entity === 'tag'
        ? tagCondition(ctx, 'registered_model_tags', sql<SqlBool>`t.model_id = registered_models.model_id`, c)
        : mlflowSearch.compareValue(ctx.dialect, sql.ref(MODEL_COLUMNS.name), c),
    );
  }
  for (const key of order) {
    const column = MODEL_COLUMNS[key.key as keyof typeof MODEL_COLUMNS];
    query = query.orderBy(key.key === 'name' ? mlflowSearch.orderableText(ctx.dialect, sql.ref(column)) : sql.ref(column), key.ascending ? 'asc' : 'desc');
  }
  // MLflow breaks ties by name ascending.
  if (!order.some((k) => k.key === 'name')) query = query.orderBy(mlflowSearch.orderableText(ctx.dialect, sql.ref(MODEL_COLUMNS.name)), 'asc');
  const rows = await query.limit(q.maxResults + 1).offset(offset).execute();
  const modelIds = rows.slice(0, q.maxResults).map((r) => Number(r.model_id));
  return { modelIds, ...(rows.length > q.maxResults ? { nextPageToken: mlflowSearch.encodePageToken(offset + q.maxResults) } : {}) };
}

export async function searchModelVersionKeys(ctx: RegistryContext, q: RegistrySearchQuery): Promise<{ keys: { modelId: number; version: number }[]; nextPageToken?: string }> {
  const comparisons = mlflowSearch.parseFilter(q.filter, MODEL_VERSION_SEARCH);
  const order = orderKeys(q.orderBy, MODEL_VERSION_SEARCH);
  const offset = mlflowSearch.decodePageToken(q.pageToken);
  let query = ctx.db
    .selectFrom('model_versions')
    .innerJoin('registered_models', 'registered_models.model_id', 'model_versions.model_id')
    .select(['model_versions.model_id', 'model_versions.version'])
    .where('model_versions.deleted', '=', 0);
  if (q.visible) query = query.where(q.visible);
  for (const c of comparisons) query = query.where((eb) => versionCondition(ctx, eb, c));
  for (const key of order) {
    const column = VERSION_COLUMNS[key.key as keyof typeof VERSION_COLUMNS];
    query = query.orderBy(key.key === 'name' ? mlflowSearch.orderableText(ctx.dialect, sql.ref(column)) : sql.ref(column), key.ascending ? 'asc' : 'desc');
  }
  // The proto's tiebreak: name ascending, then version descending.
  if (!order.some((k) => k.key === 'name')) query = query.orderBy(mlflowSearch.orderableText(ctx.dialect, sql.ref(VERSION_COLUMNS.name)), 'asc');
  if (!order.some((k) => k.key === 'version_number')) query = query.orderBy('model_versions.version', 'desc');
  const rows = await query.limit(q.maxResults + 1).offset(offset).execute();
  const keys = rows.slice(0, q.maxResults).map((r) => ({ modelId: Number(r.model_id), version: r.version }));
  return { keys, ...(rows.length > q.maxResults ? { nextPageToken: mlflowSearch.encodePageToken(offset + q.maxResults) } : {}) };
}

function versionCondition(ctx: RegistryContext, _eb: ExpressionBuilder<RegistryTables, 'model_versions' | 'registered_models'>, c: FilterComparison): Expression<SqlBool> {
  if (c.entity === 'tag') {
    return tagCondition(ctx, 'model_version_tags', sql<SqlBool>`t.model_id = model_versions.model_id and t.version = model_versions.version`, c);
  }
  return mlflowSearch.compareValue(ctx.dialect, sql.ref(VERSION_COLUMNS[c.key as keyof typeof VERSION_COLUMNS]), c);
}
