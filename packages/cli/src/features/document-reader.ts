import type { FeatureDtype, FieldSpec } from '@capstan/contracts';
import { durationSeconds } from '@capstan/sdk';
import { UsageError } from '../errors.js';
import { parseDtypeName } from './dtype-names.js';

type Mapping = Readonly<Record<string, unknown>>;

export const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the fields of one YAML document strictly: each read names the document in its error, and
 * `done()` refuses fields nobody read, so a typo (or a snake_case name in a camelCase document)
 * is an error rather than a silently missing setting.
 */
export class DocumentReader {
  readonly #read = new Set<string>();

  constructor(
    private readonly doc: Mapping,
    readonly where: string,
  ) {}

  fail(message: string): never {
    throw new UsageError(`${this.where}: ${message}`);
  }

  #get(key: string): unknown {
    this.#read.add(key);
    return this.doc[key];
  }

  string(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined || value === '') this.fail(`${key} is required`);
    return value;
  }

  optionalString(key: string): string | undefined {
    const value = this.#get(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${key} must be a string`);
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.#get(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(`${key} must be true or false`);
    return value;
  }

  /** A list whose items the caller reads. */
  list(key: string): unknown[] {
    const value = this.#get(key) ?? [];
    if (!Array.isArray(value)) this.fail(`${key} must be a list`);
    return value as unknown[];
  }

  stringList(key: string): string[] {
    const value = this.#get(key) ?? [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) this.fail(`${key} must be a list of names`);
    return value as string[];
  }

  optionalStringMap(key: string): Record<string, string> | undefined {
    const value = this.#get(key);
    if (value === undefined || value === null) return undefined;
    if (!isMapping(value) || Object.values(value).some((v) => typeof v !== 'string')) this.fail(`${key} must map names to strings`);
    return { ...(value as Record<string, string>) };
  }

  /** Seconds, from a number or `15m`-style text. */
  optionalDuration(key: string): number | undefined {
    const value = this.#get(key);
    if (value === undefined || value === null) return undefined;
    try {
      return durationSeconds(value, key);
    } catch (err) {
      return this.fail((err as Error).message);
    }
  }

  /** `name: dtype` pairs, or `name: { dtype, description, tags }`, in the order written. */
  schema(key: string): FieldSpec[] {
    const value = this.#get(key);
    if (!isMapping(value)) return this.fail(`${key} must map field names to dtypes`);
    return Object.entries(value).map(([name, entry]) => {
      const where = new DocumentReader(isMapping(entry) ? entry : { dtype: entry }, `${this.where}: ${key}.${name}`);
      const field: FieldSpec = { name, dtype: where.dtype('dtype'), ...where.meta(['description', 'tags']) };
      where.done();
      return field;
    });
  }

  dtype(key: string): FeatureDtype {
    const text = this.string(key);
    return parseDtypeName(text) ?? this.fail(`unknown dtype ${JSON.stringify(text)} (int32, int64, float32, float64, string, bytes, bool, unix_timestamp, or a list such as float32[])`);
  }

  /** The documentation fields present among `keys` (description, tags, owner). */
  meta(keys: readonly ('description' | 'tags' | 'owner')[] = ['description', 'tags', 'owner']): { description?: string; tags?: Record<string, string>; owner?: string } {
    const out: { description?: string; tags?: Record<string, string>; owner?: string } = {};
    for (const key of keys) {
      const value = key === 'tags' ? this.optionalStringMap(key) : this.optionalString(key);
      if (value !== undefined) Object.assign(out, { [key]: value });
    }
    return out;
  }

  /** Refuses the fields no read asked for. */
  done(): void {
    const unknown = Object.keys(this.doc).filter((key) => !this.#read.has(key));
    if (unknown.length) this.fail(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  }
}
