/**
 * A profile as a versioned, JSON-safe object (store it with JSON.stringify, in a JSON or text
 * column). Sketch internals are base64 (KLL items as little-endian float64, HyperLogLog registers
 * 6 bits each); counts, moments and frequent items are plain JSON. The size is bounded by the sketch
 * parameters, not by the rows: about 11 KB per numeric column at the defaults, plus the frequent
 * strings themselves for string columns (at most `itemsCapacity` of them).
 *
 * Version 1 is the only version; a reader refuses any other rather than guess.
 */
import { ColumnProfile, type ColumnProfileState, resolveProfileOptions } from './column-profile.js';
import { DatasetProfile } from './dataset-profile.js';
import { ProfileError } from './errors.js';

export const PROFILE_FORMAT = 'capstan.profile';
export const PROFILE_VERSION = 1;

export interface SerializedProfile {
  readonly format: typeof PROFILE_FORMAT;
  readonly version: typeof PROFILE_VERSION;
  readonly rowCount: number;
  readonly options: { readonly kllK: number; readonly hllLgK: number; readonly itemsCapacity: number; readonly numbersCapacity: number; readonly seed: number };
  /** [name, column] pairs in column order. */
  readonly columns: readonly (readonly [string, ColumnProfileState])[];
}

export function serializeProfile(profile: DatasetProfile): SerializedProfile {
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    rowCount: profile.rowCount,
    options: { ...profile.options },
    columns: [...profile.columns()].map(([name, column]) => [name, column.toState()] as const),
  };
}

/** Reads a serialised profile (the object, or its JSON text). */
export function deserializeProfile(input: SerializedProfile | string): DatasetProfile {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      throw new ProfileError('A serialised profile must be JSON.');
    }
  }
  if (typeof data !== 'object' || data === null) throw new ProfileError('A serialised profile must be an object.');
  const value = data as Partial<SerializedProfile>;
  if (value.format !== PROFILE_FORMAT) throw new ProfileError(`Not a serialised profile (format ${String(value.format)}).`);
  if (value.version !== PROFILE_VERSION) {
    throw new ProfileError(`Unsupported profile version ${String(value.version)}; this reader knows version ${PROFILE_VERSION}.`);
  }
  if (!Number.isSafeInteger(value.rowCount) || (value.rowCount as number) < 0) throw new ProfileError('Invalid profile: rowCount.');
  if (!Array.isArray(value.columns)) throw new ProfileError('Invalid profile: columns.');
  const options = resolveProfileOptions(value.options);
  const columns = new Map<string, ColumnProfile>();
  for (const entry of value.columns as readonly unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw new ProfileError('Invalid profile: a column entry.');
    const [name, state] = entry as [string, ColumnProfileState];
    if (columns.has(name)) throw new ProfileError(`Invalid profile: column '${name}' appears twice.`);
    try {
      columns.set(name, ColumnProfile.fromState(state));
    } catch (err) {
      throw new ProfileError(`Invalid profile: column '${name}': ${(err as Error).message}`);
    }
  }
  return DatasetProfile.assemble(options, value.rowCount as number, columns);
}
