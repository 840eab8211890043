/**
 * A dataset profile: a column profile per column and the row count. Profiles of windows are merged
 * across replicas and time; a column that one side lacks counts as null cells for that side's rows
 * (what pandas' concat does), so merging stays associative.
 */
import { ProfileError } from './errors.js';
import { ColumnProfile, type ProfileColumn, type ProfileOptions, resolveProfileOptions, type ResolvedProfileOptions } from './column-profile.js';

export type ProfileColumns = Readonly<Record<string, ProfileColumn>>;

export class DatasetProfile {
  private rows = 0;
  private readonly byName = new Map<string, ColumnProfile>();
  readonly options: ResolvedProfileOptions;

  constructor(options: ProfileOptions = {}) {
    this.options = resolveProfileOptions(options);
  }

  get rowCount(): number {
    return this.rows;
  }

  get columnNames(): string[] {
    return [...this.byName.keys()];
  }

  column(name: string): ColumnProfile | undefined {
    return this.byName.get(name);
  }

  columns(): IterableIterator<[string, ColumnProfile]> {
    return this.byName.entries();
  }

  /** Adds a batch of rows given as equally long columns. */
  add(columns: ProfileColumns): void {
    if (typeof columns !== 'object' || columns === null) throw new ProfileError('Columns must be an object of arrays.');
    const names = Object.keys(columns);
    let length: number | undefined;
    for (const name of names) {
      const values = columns[name] as unknown;
      if (!Array.isArray(values) && !(values instanceof Float64Array)) throw new ProfileError(`Column '${name}' is not an array.`);
      length ??= values.length;
      if (values.length !== length) {
        throw new ProfileError(`Columns differ in length: '${names[0]}' has ${length} rows, '${name}' ${values.length}.`);
      }
    }
    const batch = length ?? 0;
    for (const name of names) {
      let profile = this.byName.get(name);
      if (!profile) {
        profile = new ColumnProfile(this.options);
        profile.addMissing(this.rows);
        this.byName.set(name, profile);
      }
      profile.add(columns[name], name);
    }
    for (const [name, profile] of this.byName) if (!Object.hasOwn(columns, name)) profile.addMissing(batch);
    this.rows += batch;
  }

  /** A new profile holding both (neither input changes). */
  merge(other: DatasetProfile): DatasetProfile {
    const mine = this.options;
    const theirs = other.options;
    if (
      mine.kllK !== theirs.kllK ||
      mine.hllLgK !== theirs.hllLgK ||
      mine.itemsCapacity !== theirs.itemsCapacity ||
      mine.numbersCapacity !== theirs.numbersCapacity
    ) {
      throw new ProfileError('Cannot merge profiles built with different sketch parameters.');
    }
    const out = new DatasetProfile(mine);
    out.rows = this.rows + other.rows;
    const names = new Set([...this.byName.keys(), ...other.byName.keys()]);
    for (const name of names) {
      const a = this.byName.get(name);
      const b = other.byName.get(name);
      let merged: ColumnProfile;
      if (a) {
        merged = a.copy();
        if (b) merged.merge(b);
        else merged.addMissing(other.rows);
      } else {
        merged = (b as ColumnProfile).copy();
        merged.addMissing(this.rows);
      }
      out.byName.set(name, merged);
    }
    return out;
  }

  /** Used by deserialisation. */
  static assemble(options: ResolvedProfileOptions, rowCount: number, columns: ReadonlyMap<string, ColumnProfile>): DatasetProfile {
    const out = new DatasetProfile(options);
    out.rows = rowCount;
    for (const [name, profile] of columns) {
      if (profile.counts.count !== rowCount) {
        throw new ProfileError(`Column '${name}' has ${profile.counts.count} cells but the profile has ${rowCount} rows.`);
      }
      const o = profile.options;
      if (o.kllK !== options.kllK || o.hllLgK !== options.hllLgK || o.itemsCapacity !== options.itemsCapacity || o.numbersCapacity !== options.numbersCapacity) {
        throw new ProfileError(`Column '${name}' was built with other sketch parameters than its profile.`);
      }
      out.byName.set(name, profile);
    }
    return out;
  }
}

/** Profiles a table given as columns (cells, or Float64Arrays with NaN for missing). */
export function profileColumns(columns: ProfileColumns, options: ProfileOptions = {}): DatasetProfile {
  const profile = new DatasetProfile(options);
  profile.add(columns);
  return profile;
}

/** merge(a, b) ~ profile of a's rows followed by b's; associative and commutative up to sketch randomness. */
export function mergeProfiles(a: DatasetProfile, b: DatasetProfile): DatasetProfile {
  return a.merge(b);
}
