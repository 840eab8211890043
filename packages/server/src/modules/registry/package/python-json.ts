/**
 * JSON as Python's `json.dumps` writes it by default: `", "` between items, `": "` after keys, and
 * non-ASCII characters escaped (`ensure_ascii`), so the strings Capstan writes into MLflow files
 * read exactly like the ones MLflow writes.
 */
export function pythonJson(value: unknown): string {
  if (typeof value === 'string') return asciiString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const parts = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${asciiString(k)}: ${pythonJson(v)}`);
  return `{${parts.join(', ')}}`;
}

// UTF-16 code units, as Python escapes them (a character beyond U+FFFF becomes a surrogate pair).
const asciiString = (s: string): string =>
  JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
