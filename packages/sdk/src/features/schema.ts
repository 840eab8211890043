import type { FieldSpec } from '@capstan/contracts';
import type { Dtype, JsonOf, ValueOf } from './dtypes.js';

/** A field with documentation; a bare dtype is enough otherwise. */
export interface FieldDefinition<D extends Dtype = Dtype> {
  readonly type: D;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Field name -> dtype (or a described field), in the order the fields are declared. */
export type Schema = Readonly<Record<string, Dtype | FieldDefinition>>;

type DtypeOf<F> = F extends FieldDefinition<infer D> ? D : F;

/** One row of a schema's decoded values (what typed lookups return). */
export type RowOf<S extends Schema> = { -readonly [K in keyof S]: ValueOf<DtypeOf<S[K]>> };

/** One row of a schema's JSON values (what a transformation sees). */
export type JsonRowOf<S extends Schema> = { -readonly [K in keyof S]: JsonOf<DtypeOf<S[K]>> };

/** What a transformation returns: JSON values, or null where an output cannot be computed. */
export type TransformOutput<S extends Schema> = { -readonly [K in keyof S]: JsonOf<DtypeOf<S[K]>> | null };

/** `{ conv_rate: field(Float32, { description: 'conversions per visit' }) }`. */
export function field<D extends Dtype>(type: D, docs: { description?: string; tags?: Record<string, string> } = {}): FieldDefinition<D> {
  return { type, ...docs };
}

/** The wire form, in declaration order. */
export function toFieldSpecs(schema: Schema): FieldSpec[] {
  return Object.entries(schema).map(([name, entry]) => {
    if ('type' in entry) return { name, dtype: entry.type.dtype, ...pickDocs(entry) };
    return { name, dtype: entry.dtype };
  });
}

function pickDocs(entry: FieldDefinition): Pick<FieldSpec, 'description' | 'tags'> {
  return {
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    ...(entry.tags !== undefined ? { tags: { ...entry.tags } } : {}),
  };
}
