import { CapstanError, invalidParameter, notFound } from '../../../core/errors.js';
import { validateLength } from '../limits.js';

/** A tag or param of a logged model. */
export interface KeyValue {
  key: string;
  value: string;
}

/**
 * MLflow's logged-model tables hold keys in VARCHAR(255); values are TEXT there, so only keys are
 * bounded. Enforced up front so both dialects reject the same requests.
 */
export const LOGGED_MODEL_KEY_LENGTH = 255;

/** MLflow 3 (`_validate_logged_model_name`): the name becomes a path segment and a URL part. */
const FORBIDDEN_NAME_CHARS = ['/', ':', '.', '%', '"', "'"] as const;

export function modelNotFound(modelId: string): CapstanError {
  return notFound(`Logged model with ID '${modelId}' not found.`);
}

export function validateLoggedModelName(name: string): string {
  if (name === '' || FORBIDDEN_NAME_CHARS.some((c) => name.includes(c))) {
    throw invalidParameter(
      `Invalid model name (${pyRepr(name)}) provided. Model name must be a non-empty string and cannot contain the following characters: (${FORBIDDEN_NAME_CHARS.map(pyRepr).join(', ')})`,
    );
  }
  return name;
}

export function validateModelTags(tags: readonly KeyValue[]): void {
  for (const t of tags) validateLength('Tag key', LOGGED_MODEL_KEY_LENGTH, t.key);
}

export function validateModelParams(params: readonly KeyValue[]): void {
  for (const p of params) validateLength('Param key', LOGGED_MODEL_KEY_LENGTH, p.key);
}

/**
 * MLflow inserts a request's params (and a create request's tags) row by row under a
 * (model_id, key) primary key, so a repeated key fails the whole request with BAD_REQUEST.
 */
export function requireUniqueKeys(what: 'params' | 'tags', entries: readonly KeyValue[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { key } of entries) (seen.has(key) ? repeated : seen).add(key);
  if (repeated.size > 0) {
    throw new CapstanError('BAD_REQUEST', `Logged model ${what} must have unique keys; repeated: [${[...repeated].map(pyRepr).join(', ')}].`);
  }
}

/** The last value wins when a set-tags request repeats a key, as MLflow's merge does. */
export function lastValuePerKey(entries: readonly KeyValue[]): KeyValue[] {
  return [...new Map(entries.map((e) => [e.key, e.value])).entries()].map(([key, value]) => ({ key, value }));
}

/**
 * Python's repr() of a string, which MLflow interpolates (`{key!r}`) into several messages:
 * single quotes unless the text holds a single quote and no double quote.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text
    .replaceAll('\\', '\\\\')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}
