import { invalidParameter } from '../../../core/errors.js';

/**
 * Reads fields of an MLflow request the way MLflow's proto parser does: unknown fields are ignored,
 * int64 accepts numbers or decimal strings, doubles accept "NaN"/"Infinity"/"-Infinity", GET
 * query strings deliver everything as strings (repeated keys as arrays). Errors carry MLflow's
 * wording so client-side messages read the same.
 */
export type RequestInput = Readonly<Record<string, unknown>>;

const SEE_DOCS = 'See the API docs for more information about request parameters.';

export function missing(name: string): Error {
  return invalidParameter(`Missing value for required parameter '${name}'. ${SEE_DOCS}`);
}

function invalid(name: string, value: unknown): Error {
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  const type = Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value;
  return invalidParameter(`Invalid value ${shown} for parameter '${name}' supplied. Hint: Value was of type '${type}'. ${SEE_DOCS}`);
}

/** The first value when a GET query repeated a scalar key. */
function scalar(value: unknown): unknown {
  return Array.isArray(value) && value.length > 0 && typeof value[0] !== 'object' ? value[value.length - 1] : value;
}

export function optionalString(input: RequestInput, name: string): string | undefined {
  const value = scalar(input[name]);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, value);
  return value;
}

export function requiredString(input: RequestInput, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function optionalInt64(input: RequestInput, name: string): number | undefined {
  const value = scalar(input[name]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    if (Number.isSafeInteger(n)) return n;
  }
  throw invalid(name, value);
}

export function requiredInt64(input: RequestInput, name: string): number {
  const value = optionalInt64(input, name);
  if (value === undefined) throw missing(name);
  return value;
}

/** A proto double: finite numbers plus the proto-JSON spellings of NaN and the infinities. */
export function optionalDouble(input: RequestInput, name: string): number | undefined {
  const value = scalar(input[name]);
  if (value === undefined || value === null) return undefined;
  const parsed = parseDouble(value);
  if (parsed === undefined) throw invalid(name, value);
  return parsed;
}

export function requiredDouble(input: RequestInput, name: string): number {
  const value = optionalDouble(input, name);
  if (value === undefined) throw missing(name);
  return value;
}

export function parseDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === 'NaN' || text === 'nan') return Number.NaN;
  if (text === 'Infinity' || text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity' || text === '-inf') return Number.NEGATIVE_INFINITY;
  if (text === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export function optionalBool(input: RequestInput, name: string): boolean | undefined {
  const value = scalar(input[name]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw invalid(name, value);
}

/** A repeated string field: a JSON array, a repeated query key, or a single query value. */
export function stringList(input: RequestInput, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) if (typeof item !== 'string') throw invalid(name, value);
  return list as string[];
}

/** A repeated message field: each element must be a JSON object. */
export function objectList(input: RequestInput, name: string): RequestInput[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(name, value);
  for (const item of value) if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(name, value);
  return value as RequestInput[];
}

export function optionalObject(input: RequestInput, name: string): RequestInput | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(name, value);
  return value as RequestInput;
}

/** A proto enum given by name; unknown names are rejected. */
export function optionalEnum<T extends string>(input: RequestInput, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(input, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, value);
  return value as T;
}

/** `run_id`, falling back to the deprecated `run_uuid` that old clients still send. */
export function requiredRunId(input: RequestInput): string {
  const value = optionalString(input, 'run_id') || optionalString(input, 'run_uuid');
  if (!value) throw missing('run_id');
  return value;
}
