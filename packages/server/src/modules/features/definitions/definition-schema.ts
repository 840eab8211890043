import { z } from 'zod';
import { FEATURE_SCALAR_DTYPES, type FeatureDtype, type FeatureRepoDefinition } from '@capstan/contracts';
import { parseWith } from '../../../core/parse-body.js';

/** Names of objects and fields: what Feast, SQL and file columns all accept. */
const objectName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be 1-128 letters, digits or underscores, not starting with a digit');
/** Field names may be any column name a file holds, but `__` is reserved for full feature names. */
const fieldName = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => !s.includes('__'), 'must not contain "__" (it separates view and feature in full feature names)')
  .refine((s) => !s.includes(':'), 'must not contain ":" (it separates view and feature in references)');
const projectName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be 1-128 letters, digits, dashes or underscores, starting with a letter or digit');

const DTYPES: readonly string[] = [...FEATURE_SCALAR_DTYPES, ...FEATURE_SCALAR_DTYPES.map((d) => `${d}[]`)];
const dtype = z.string().refine((s) => DTYPES.includes(s), { message: `must be one of ${DTYPES.join(', ')}` }) as unknown as z.ZodType<FeatureDtype>;

const tags = z.record(z.string(), z.string());
const meta = {
  name: objectName,
  description: z.string().max(10_000).optional(),
  tags: tags.optional(),
  owner: z.string().max(256).optional(),
};

const field = z.object({ name: fieldName, dtype, description: z.string().max(10_000).optional(), tags: tags.optional() }).strict();
const fields = z.array(field);
const seconds = z.number().int().min(0).max(100 * 365 * 24 * 3600);

const batchFields = {
  timestamp_field: z.string().min(1),
  created_timestamp_column: z.string().min(1).optional(),
  field_mapping: z.record(z.string().min(1), fieldName).optional(),
};
/** Relative to the offline store root; the offline store refuses `..` and absolute paths as well. */
const relativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path relative to the offline store root, without ".."');
const sqlTable = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'must be a table name, optionally schema-qualified');

const dataSource = z.discriminatedUnion('kind', [
  z.object({ ...meta, ...batchFields, kind: z.literal('file'), path: relativePath, format: z.enum(['parquet', 'csv']) }).strict(),
  z.object({ ...meta, ...batchFields, kind: z.literal('sql_table'), table: sqlTable }).strict(),
  z.object({ ...meta, kind: z.literal('push'), batch_source: objectName }).strict(),
  z.object({ ...meta, kind: z.literal('request'), schema: fields.min(1) }).strict(),
]);

const entity = z.object({ ...meta, join_keys: fields.min(1) }).strict();

const featureView = z
  .object({
    ...meta,
    entities: z.array(objectName).min(1),
    source: objectName,
    schema: fields.min(1),
    ttl_seconds: seconds,
    online: z.boolean(),
    freshness_sla_seconds: seconds.min(1).optional(),
    materialization_interval_seconds: seconds.min(1).optional(),
  })
  .strict();

const onDemandView = z
  .object({
    ...meta,
    sources: z.array(objectName).min(1),
    schema: fields.min(1),
    transformation: z.string().min(1).max(100_000),
  })
  .strict();

const featureService = z
  .object({
    ...meta,
    features: z.array(z.object({ view: objectName, features: z.array(fieldName).min(1).optional(), alias: objectName.optional() }).strict()).min(1),
  })
  .strict();

const repoDefinition = z
  .object({
    project: projectName,
    entities: z.array(entity).default([]),
    data_sources: z.array(dataSource).default([]),
    feature_views: z.array(featureView).default([]),
    on_demand_feature_views: z.array(onDemandView).default([]),
    feature_services: z.array(featureService).default([]),
  })
  .strict();

/** A definition's shape, or INVALID_PARAMETER_VALUE naming the first wrong field. References are checked by `checkReferences`. */
export function parseRepoDefinition(body: unknown): FeatureRepoDefinition {
  return parseWith(repoDefinition as unknown as z.ZodType<FeatureRepoDefinition>, body, 'feature repository');
}
