import type { EntitySpec } from '@capstan/contracts';
import { FEATURE_OBJECT, metaOf, type Branded, type MetaOptions } from './feature-object.js';
import { toFieldSpecs, type Schema } from './schema.js';

/** A business object features describe (a driver, a customer), identified by typed join keys. */
export interface Entity<N extends string = string, K extends Schema = Schema> extends Branded<'entity'> {
  readonly name: N;
  readonly joinKeys: K;
  readonly spec: EntitySpec;
}

/** `entity({ name: 'driver', joinKeys: { driver_id: Int64 } })`. */
export function entity<const N extends string, const K extends Schema>(options: { name: N; joinKeys: K } & MetaOptions): Entity<N, K> {
  const { name, joinKeys, ...meta } = options;
  return { [FEATURE_OBJECT]: 'entity', name, joinKeys, spec: { ...metaOf(name, meta), join_keys: toFieldSpecs(joinKeys) } };
}
