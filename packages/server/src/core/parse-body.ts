import type { z } from 'zod';
import { invalidParameter } from './errors.js';

/**
 * A request body checked against a zod schema, or INVALID_PARAMETER_VALUE naming the first field
 * that is wrong (`Invalid deployment: spec.batching.max_batch: Unrecognized key`).
 */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length ? issue.path.join('.') : '(body)';
  // zod describes a missing field by what it should have been; say that it is missing.
  const missing = issue.path.length > 0 && valueAt(body, issue.path) === undefined;
  throw invalidParameter(`Invalid ${what}: ${path}: ${missing ? 'required' : issue.message}`);
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
