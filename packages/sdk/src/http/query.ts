/**
 * Turns a typed request object into the URL parts MLflow expects: `{name}` path parameters filled
 * from fields of the same name, and the other fields as a query string in which list fields repeat
 * their key (`run_ids=a&run_ids=b`), the way Python's `requests` encodes MLflow's GET params.
 */

export type QueryValue = string | number | boolean | bigint;
/** Any request object; its own enumerable fields are read. */
type Fields = object;

export function encodeQuery(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields) as [string, unknown][]) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      params.append(key, scalar(key, item));
    }
  }
  return params.toString();
}

function scalar(key: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  // No GET RPC of MLflow's has a message-typed field; failing loudly beats sending `[object Object]`.
  throw new TypeError(`Query parameter ${key} must be a scalar or a list of scalars`);
}

/** Fills `{name}` segments from `fields` and returns the rest of the fields. */
export function fillPath(template: string, fields: Fields): { path: string; rest: Record<string, unknown> } {
  const rest: Record<string, unknown> = { ...fields };
  const path = template.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    const value = rest[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`Request field ${name} is required to build ${template}`);
    }
    delete rest[name];
    return encodeURIComponent(scalar(name, value));
  });
  return { path, rest };
}

/** Encodes each `/`-separated segment of an artifact path, keeping the separators. */
export function encodePathSegments(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}
