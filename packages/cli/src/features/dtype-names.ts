import type { FeatureDtype, FeatureScalarDtype } from '@capstan/contracts';

/** Scalar dtypes by their lower-cased spellings: the wire's (`unix_timestamp`) and Feast's/the DSL's (`UnixTimestamp`). */
const SCALARS: Readonly<Record<string, FeatureScalarDtype>> = {
  int32: 'int32',
  int64: 'int64',
  float32: 'float32',
  float64: 'float64',
  string: 'string',
  bytes: 'bytes',
  bool: 'bool',
  unix_timestamp: 'unix_timestamp',
  unixtimestamp: 'unix_timestamp',
};

/**
 * A dtype as written in YAML: `int64` or `Int64`, `unix_timestamp` or `UnixTimestamp`, and lists
 * as `float32[]` or `List(Float32)`. Undefined when it is none of them.
 */
export function parseDtypeName(text: string): FeatureDtype | undefined {
  const trimmed = text.trim();
  const list = /^list\s*\(\s*(.+?)\s*\)$/i.exec(trimmed)?.[1] ?? /^(.+?)\s*\[\]$/.exec(trimmed)?.[1];
  const scalar = SCALARS[(list ?? trimmed).toLowerCase()];
  if (!scalar) return undefined;
  return list === undefined ? scalar : `${scalar}[]`;
}
