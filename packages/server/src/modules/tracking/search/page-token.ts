import { invalidParameter } from '../../../core/errors.js';

/**
 * Search page tokens, as MLflow makes them: base64 of a JSON object holding the offset of the next
 * page (`{"offset": 100}`). Logged-model tokens also carry the request they continue
 * (experiment_ids, filter_string, order_by) so a token cannot be replayed against another query.
 * Clients treat tokens as opaque; only this server reads them back.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Encodes the offset of the next page, with the request fields it must be used with. */
export function encodePageToken(offset: number, context: Record<string, unknown> = {}): string {
  // Python's json.dumps separators, so tokens are byte-identical to MLflow's for the same page.
  const fields = [...Object.entries(context), ['offset', offset] as const].map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`);
  return Buffer.from(`{${fields.join(', ')}}`, 'utf8').toString('base64');
}

/**
 * Returns the offset a token points at (0 without a token). A token that is not ours, or that was
 * issued for a different request `context`, is INVALID_PARAMETER_VALUE.
 */
export function decodePageToken(token: string | undefined, context: Record<string, unknown> = {}): number {
  if (token === undefined || token === '') return 0;
  const parsed = parseToken(token);
  const offset = parsed.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, parsed value has no valid offset: ${token}`);
  }
  for (const [field, expected] of Object.entries(context)) {
    if (pythonJson(parsed[field] ?? null, true) !== pythonJson(expected ?? null, true)) {
      throw invalidParameter(`Invalid page token: its ${field} does not match the request's`);
    }
  }
  return offset;
}

function parseToken(token: string): Record<string, unknown> {
  const trimmed = token.trim();
  if (!BASE64.test(trimmed) && !BASE64URL.test(trimmed)) throw invalidParameter(`Invalid page token, could not base64-decode: ${token}`);
  const text = Buffer.from(trimmed, BASE64.test(trimmed) ? 'base64' : 'base64url').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter(`Invalid page token, decoded value is not JSON: ${token}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter(`Invalid page token, decoded value is not an object: ${token}`);
  }
  return value as Record<string, unknown>;
}

/**
 * JSON with Python's default `json.dumps` spacing (", " and ": "), for MLflow-identical tokens.
 * `sortKeys` gives a canonical form for comparing objects whose keys arrived in another order.
 */
function pythonJson(value: unknown, sortKeys = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v, sortKeys)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v, sortKeys)}`).join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}
