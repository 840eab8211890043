import { FEATURE_SCALAR_DTYPES, type DataSourceSpec, type FeatureRepoDefinition, type FieldSpec } from '@capstan/contracts';
import { FeatureDefinitionError } from './definition-error.js';
import { transformationProblem } from './transformation.js';

const DTYPES = new Set<string>([...FEATURE_SCALAR_DTYPES, ...FEATURE_SCALAR_DTYPES.map((d) => `${d}[]`)]);
const BATCH_KINDS = new Set<DataSourceSpec['kind']>(['file', 'sql_table']);

const isName = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
/** Definitions also come from YAML and JSON files, where a list may be missing or not a list. */
const listOf = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
const isWholeSeconds = (value: unknown, min: number) => typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * Every problem the server would refuse a definition for that can be seen without the registry:
 * empty or repeated names, references to objects that are not defined (or of the wrong kind),
 * unknown dtypes, bad durations and transformations that are not function expressions.
 */
export function definitionProblems(definition: FeatureRepoDefinition): string[] {
  const problems: string[] = [];
  const report = (problem: string) => problems.push(problem);
  if (!isName(definition.project)) report('the project has no name');

  const names = (what: string, specs: readonly { name: string }[]) => {
    const seen = new Set<string>();
    for (const [i, spec] of specs.entries()) {
      if (!isName(spec.name)) report(`${what} #${i + 1} has no name`);
      else if (seen.has(spec.name)) report(`${what} '${spec.name}' is defined twice`);
      seen.add(spec.name);
    }
    return seen;
  };
  const entityList = listOf(definition.entities);
  const sourceList = listOf(definition.data_sources);
  const viewList = listOf(definition.feature_views);
  const onDemandList = listOf(definition.on_demand_feature_views);
  const serviceList = listOf(definition.feature_services);
  const entities = new Map(entityList.map((e) => [e.name, e]));
  const sources = new Map(sourceList.map((s) => [s.name, s]));
  const views = new Map(viewList.map((v) => [v.name, v]));
  const onDemand = new Map(onDemandList.map((v) => [v.name, v]));
  names('entity', entityList);
  names('data source', sourceList);
  // Views and on-demand views share one namespace: `view:feature` must name one of them.
  names('feature view', [...viewList, ...onDemandList]);
  names('feature service', serviceList);

  const fields = (where: string, list: readonly FieldSpec[] | undefined, reserved: ReadonlySet<string> = new Set()) => {
    if (listOf(list).length === 0) return report(`${where}: no fields`);
    const seen = new Set<string>();
    for (const field of listOf(list)) {
      if (!isName(field.name)) report(`${where}: a field has no name`);
      else if (seen.has(field.name)) report(`${where}: field '${field.name}' is listed twice`);
      else if (reserved.has(field.name)) report(`${where}: '${field.name}' is a join key and cannot also be a feature`);
      if (!DTYPES.has(field.dtype)) report(`${where}: field '${field.name}' has unknown dtype ${JSON.stringify(field.dtype)} (expected one of ${[...DTYPES].join(', ')})`);
      seen.add(field.name);
    }
  };

  for (const e of entityList) fields(`entity '${e.name}' join keys`, e.join_keys);
  for (const s of sourceList) {
    const where = `data source '${s.name}'`;
    if (s.kind === 'file' || s.kind === 'sql_table') {
      if (!isName(s.timestamp_field)) report(`${where}: no timestamp field`);
      if (s.kind === 'file' && !isName(s.path)) report(`${where}: no path`);
      if (s.kind === 'file' && s.format !== 'parquet' && s.format !== 'csv') report(`${where}: format must be parquet or csv`);
      if (s.kind === 'sql_table' && !isName(s.table)) report(`${where}: no table`);
    } else if (s.kind === 'push') {
      const batch = sources.get(s.batch_source);
      if (!batch || !BATCH_KINDS.has(batch.kind)) report(`${where}: batch source '${s.batch_source}' is not a file or sql_table source of the project`);
    } else if (s.kind === 'request') {
      fields(where, s.schema);
    } else {
      report(`${where}: unknown kind ${JSON.stringify((s as { kind: unknown }).kind)}`);
    }
  }
  for (const v of viewList) {
    const where = `feature view '${v.name}'`;
    const keys = new Set<string>();
    for (const name of listOf(v.entities)) {
      const e = entities.get(name);
      if (!e) report(`${where}: entity '${name}' is not defined`);
      else listOf(e.join_keys).forEach((k) => keys.add(k.name));
    }
    const source = sources.get(v.source);
    if (!source) report(`${where}: source '${v.source}' is not defined`);
    else if (source.kind === 'request') report(`${where}: source '${v.source}' is a request source; only on-demand views read those`);
    fields(where, v.schema, keys);
    if (!isWholeSeconds(v.ttl_seconds, 0)) report(`${where}: ttl must be whole seconds, 0 or more`);
    if (typeof v.online !== 'boolean') report(`${where}: online must be true or false`);
    if (v.freshness_sla_seconds !== undefined && !isWholeSeconds(v.freshness_sla_seconds, 1)) report(`${where}: the freshness SLA must be positive whole seconds`);
    if (v.materialization_interval_seconds !== undefined && !isWholeSeconds(v.materialization_interval_seconds, 1)) {
      report(`${where}: the materialization interval must be positive whole seconds`);
    }
  }
  for (const v of onDemandList) {
    const where = `on-demand feature view '${v.name}'`;
    if (listOf(v.sources).length === 0) report(`${where}: no sources`);
    for (const name of listOf(v.sources)) {
      if (!views.has(name) && sources.get(name)?.kind !== 'request') report(`${where}: source '${name}' is neither a feature view nor a request source of the project`);
    }
    fields(where, v.schema);
    const problem = typeof v.transformation === 'string' ? transformationProblem(v.transformation) : 'is missing';
    if (problem) report(`${where}: the transformation ${problem}`);
  }
  for (const s of serviceList) {
    const where = `feature service '${s.name}'`;
    if (listOf(s.features).length === 0) report(`${where}: no features`);
    for (const projection of listOf(s.features)) {
      const view = views.get(projection.view) ?? onDemand.get(projection.view);
      if (!view) {
        report(`${where}: feature view '${projection.view}' is not defined`);
        continue;
      }
      const missing = listOf(projection.features).filter((f) => !listOf(view.schema).some((field) => field.name === f));
      if (missing.length) report(`${where}: ${missing.map((f) => `'${f}'`).join(', ')} not in feature view '${view.name}'`);
      if (projection.features?.length === 0) report(`${where}: the projection of '${projection.view}' selects no feature`);
      if (projection.alias !== undefined && !isName(projection.alias)) report(`${where}: the alias of '${projection.view}' is empty`);
    }
  }
  return problems;
}

/** Throws a FeatureDefinitionError listing every problem (after `earlier` ones, such as name conflicts), if there are any. */
export function assertValidDefinition(definition: FeatureRepoDefinition, earlier: readonly string[] = []): void {
  const problems = [...earlier, ...definitionProblems(definition)];
  if (problems.length) throw new FeatureDefinitionError(problems);
}
