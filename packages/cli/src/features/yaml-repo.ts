import type { DataSourceSpec, FeatureViewProjection } from '@capstan/contracts';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.js';
import { DocumentReader, isMapping } from './document-reader.js';
import { emptySections, type RepoFile } from './repo-file.js';

const SECTIONS = ['entities', 'data_sources', 'feature_views', 'on_demand_feature_views', 'feature_services'] as const;

/**
 * A repository file in YAML (or JSON), in one of two forms:
 *
 * - the wire form: one document, a whole FeatureRepoDefinition (`project`, `entities`,
 *   `data_sources`, ...: snake_case, durations in seconds), as `capstan features get` prints it;
 * - definitions: documents with a `kind` (Entity, FileSource, SqlTableSource, PushSource,
 *   RequestSource, FeatureView, OnDemandFeatureView, FeatureService) and the TypeScript DSL's
 *   camelCase fields, durations such as `1d`, references by name, plus `project:` in any document
 *   (or in a document of its own).
 *
 * Shapes are checked here with the document named; references are checked once every file is read.
 */
export function readYamlRepo(text: string, file: string): RepoFile {
  const docs: { value: Record<string, unknown>; where: string }[] = [];
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    const where = `${file}: document ${index + 1}`;
    if (doc.errors.length) throw new UsageError(`${where}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) throw new UsageError(`${where}: expected a mapping, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
    docs.push({ value: { ...value }, where });
  }
  const wire = docs.filter((d) => d.value.kind === undefined && SECTIONS.some((s) => s in d.value));
  if (wire.length) {
    if (docs.length > 1) throw new UsageError(`${wire[0]!.where}: a whole definition (with ${SECTIONS.join(', ')}) must be the file's only document`);
    return wireFile(wire[0]!.value, wire[0]!.where, file);
  }
  const out: RepoFile = { file, sections: emptySections() };
  for (const { value, where } of docs) {
    const { project, kind, ...fields } = value;
    if (project !== undefined) {
      if (typeof project !== 'string' || project === '') throw new UsageError(`${where}: project must be a name`);
      if (out.project !== undefined && out.project !== project) throw new UsageError(`${where}: project '${project}', but an earlier document says '${out.project}'`);
      out.project = project;
    }
    if (kind === undefined) {
      if (Object.keys(fields).length) throw new UsageError(`${where}: no kind (Entity, FileSource, SqlTableSource, PushSource, RequestSource, FeatureView, OnDemandFeatureView or FeatureService)`);
      continue;
    }
    addDefinition(out.sections, kind, new DocumentReader(fields, `${where} (${String(kind)} '${String(fields.name ?? '')}')`));
  }
  return out;
}

function wireFile(value: Record<string, unknown>, where: string, file: string): RepoFile {
  const { project, ...rest } = value;
  if (typeof project !== 'string' || project === '') throw new UsageError(`${where}: project is required`);
  const unknown = Object.keys(rest).filter((key) => !(SECTIONS as readonly string[]).includes(key));
  if (unknown.length) throw new UsageError(`${where}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  const sections = emptySections();
  for (const section of SECTIONS) {
    const list = rest[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every(isMapping)) throw new UsageError(`${where}: ${section} must be a list of mappings`);
    // Its fields are checked with the merged definition (and again by the server).
    Object.assign(sections, { [section]: list });
  }
  return { file, project, sections };
}

function addDefinition(sections: RepoFile['sections'], kind: unknown, doc: DocumentReader): void {
  const name = doc.string('name');
  const meta = { name, ...doc.meta() };
  const batch = () => {
    const timestamp_field = doc.string('timestampField');
    const created = doc.optionalString('createdTimestampColumn');
    const mapping = doc.optionalStringMap('fieldMapping');
    return { timestamp_field, ...(created !== undefined ? { created_timestamp_column: created } : {}), ...(mapping ? { field_mapping: mapping } : {}) };
  };
  const source = (spec: DataSourceSpec) => sections.data_sources.push(spec);
  switch (kind) {
    case 'Entity':
      sections.entities.push({ ...meta, join_keys: doc.schema('joinKeys') });
      break;
    case 'FileSource': {
      const format = doc.string('format');
      if (format !== 'parquet' && format !== 'csv') doc.fail('format must be parquet or csv');
      source({ ...meta, kind: 'file', path: doc.string('path'), format, ...batch() });
      break;
    }
    case 'SqlTableSource':
      source({ ...meta, kind: 'sql_table', table: doc.string('table'), ...batch() });
      break;
    case 'PushSource':
      source({ ...meta, kind: 'push', batch_source: doc.string('batchSource') });
      break;
    case 'RequestSource':
      source({ ...meta, kind: 'request', schema: doc.schema('schema') });
      break;
    case 'FeatureView': {
      const fresh = doc.optionalDuration('freshnessSla');
      const interval = doc.optionalDuration('materializationInterval');
      sections.feature_views.push({
        ...meta,
        entities: doc.stringList('entities'),
        source: doc.string('source'),
        schema: doc.schema('schema'),
        ttl_seconds: doc.optionalDuration('ttl') ?? 0,
        online: doc.optionalBoolean('online') ?? true,
        ...(fresh !== undefined ? { freshness_sla_seconds: fresh } : {}),
        ...(interval !== undefined ? { materialization_interval_seconds: interval } : {}),
      });
      break;
    }
    case 'OnDemandFeatureView':
      sections.on_demand_feature_views.push({ ...meta, sources: doc.stringList('sources'), schema: doc.schema('schema'), transformation: doc.string('transform') });
      break;
    case 'FeatureService':
      sections.feature_services.push({ ...meta, features: projections(doc) });
      break;
    default:
      doc.fail(`unknown kind ${JSON.stringify(kind)}`);
  }
  doc.done();
}

/** `features:` items: a view's name (every feature), or `{ view, features, alias }`. */
function projections(doc: DocumentReader): FeatureViewProjection[] {
  return doc.list('features').map((item, i) => {
    if (typeof item === 'string') return { view: item };
    if (!isMapping(item)) return doc.fail(`features[${i}] must be a view name or { view, features, alias }`);
    const reader = new DocumentReader(item, `${doc.where}: features[${i}]`);
    const view = reader.string('view');
    const features = 'features' in item ? reader.stringList('features') : undefined;
    const alias = reader.optionalString('alias');
    reader.done();
    return { view, ...(features !== undefined ? { features } : {}), ...(alias !== undefined ? { alias } : {}) };
  });
}
