import type { FeatureDtype, FeatureScalarDtype } from '@capstan/contracts';

/**
 * A feature's value type: its wire name and, for the compiler only, two TypeScript types.
 *
 * - `T`, the value in typed lookup results (and accepted in entity rows and pushes): numbers for
 *   every numeric type, strings, booleans, `Uint8Array` for bytes, `Date` for unix_timestamp,
 *   arrays for lists. The SDK decodes the wire forms into these.
 * - `J`, the value as JSON, which is what an on-demand view's transformation sees and returns
 *   (it runs on the server, and rows cross into it as JSON): bytes as base64 text,
 *   unix_timestamp as ISO 8601 text, the rest as in `T`.
 */
export interface Dtype<W extends FeatureDtype = FeatureDtype, T = unknown, J = T> {
  readonly dtype: W;
  /** Type-level only, never set: the decoded value. */
  readonly valueType?: T;
  /** Type-level only, never set: the JSON value. */
  readonly jsonType?: J;
}

export type ScalarDtype = Dtype<FeatureScalarDtype>;

/** The TypeScript type of a decoded value of `D`. */
export type ValueOf<D> = D extends Dtype<FeatureDtype, infer T, unknown> ? T : never;
/** The TypeScript type of a JSON value of `D`. */
export type JsonOf<D> = D extends Dtype<FeatureDtype, unknown, infer J> ? J : never;

const scalar = <W extends FeatureScalarDtype, T, J = T>(dtype: W): Dtype<W, T, J> => Object.freeze({ dtype });

export const Int32 = scalar<'int32', number>('int32');
/** Typed as `number`: values beyond 2^53 travel as decimal strings and are not converted. */
export const Int64 = scalar<'int64', number>('int64');
export const Float32 = scalar<'float32', number>('float32');
export const Float64 = scalar<'float64', number>('float64');
// Named after Feast's types; as a module export it shadows the global `String` only where imported.
export const String = scalar<'string', string>('string');
export const Bool = scalar<'bool', boolean>('bool');
/** A `Uint8Array` in results; base64 text in JSON (and in transformations). */
export const Bytes = scalar<'bytes', Uint8Array, string>('bytes');
/** A `Date` in results; ISO 8601 text in JSON (and in transformations). */
export const UnixTimestamp = scalar<'unix_timestamp', Date, string>('unix_timestamp');

/** A list of scalars (an embedding, tags...). Lists of lists do not exist on the wire. */
export function List<W extends FeatureScalarDtype, T, J>(item: Dtype<W, T, J>): Dtype<`${W}[]`, T[], J[]> {
  if (item.dtype.endsWith('[]')) throw new TypeError(`List(${item.dtype}): lists of lists are not supported`);
  return Object.freeze({ dtype: `${item.dtype}[]` as const });
}
