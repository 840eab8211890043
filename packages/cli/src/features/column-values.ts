import type { FeatureValue } from '@capstan/contracts';
import { UsageError } from '../errors.js';
import { formatCsv, parseCsv } from './csv.js';

/**
 * A value typed on the command line or in a CSV cell: JSON when it parses as JSON (numbers,
 * true/false, null, "quoted text", [lists]), the text itself otherwise. So `1001` is a number
 * and `"02134"` the text 02134; an empty CSV cell is null.
 */
export function parseCell(text: string): FeatureValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as FeatureValue;
  } catch {
    return text;
  }
}

/** A cell for a table or a CSV file: text as is, null empty, anything else as JSON. */
export const formatCell = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Repeatable `--entity driver_id=1001,1002` into columns. */
export function collectEntity(value: string, previous: Record<string, FeatureValue[]> = {}): Record<string, FeatureValue[]> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--entity: expected key=value,value..., got '${value}'`);
  const key = value.slice(0, eq);
  if (key in previous) throw new UsageError(`--entity: ${key} is given twice`);
  return { ...previous, [key]: splitValues(value.slice(eq + 1)).map(parseCell) };
}

/** Splits at commas outside brackets and quotes, so `[1,2],[3]` is two lists. */
function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '[') depth++;
    else if (!quoted && ch === ']') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Columns of equal length: the entity table a lookup or retrieval takes. */
export function checkColumns(columns: Record<string, FeatureValue[]>, what: string): Record<string, FeatureValue[]> {
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size === 0) throw new UsageError(`${what}: no columns`);
  if (lengths.size > 1) throw new UsageError(`${what}: the columns have different lengths (${Object.entries(columns).map(([k, v]) => `${k}: ${v.length}`).join(', ')})`);
  return columns;
}

/** An entity table from CSV (a header row, then values) or JSON (columns `{key: [...]}` or rows `[{...}]`). */
export function readEntityTable(text: string, file: string): Record<string, FeatureValue[]> {
  if (/\.json$/i.test(file)) return checkColumns(columnsFromJson(text, file), file);
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) throw new UsageError(`${file}: empty`);
  body.forEach((r, i) => {
    if (r.length !== header.length) throw new UsageError(`${file}: line ${i + 2} has ${r.length} fields, the header ${header.length}`);
  });
  return Object.fromEntries(header.map((name, c) => [name, body.map((r) => parseCell(r[c]!))]));
}

function columnsFromJson(text: string, file: string): Record<string, FeatureValue[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
  if (Array.isArray(value)) {
    if (!value.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) throw new UsageError(`${file}: a list of rows must hold objects`);
    const rows = value as Record<string, FeatureValue>[];
    const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return Object.fromEntries(names.map((name) => [name, rows.map((r) => r[name] ?? null)]));
  }
  if (typeof value === 'object' && value !== null && Object.values(value).every(Array.isArray)) return value as Record<string, FeatureValue[]>;
  throw new UsageError(`${file}: expected columns ({"driver_id": [...], ...}) or rows ([{"driver_id": ...}, ...])`);
}

/** Column-major values as CSV, in the order of `columns`. */
export function columnsToCsv(columns: readonly string[], values: Record<string, readonly unknown[]>, rows: number): string {
  return formatCsv(
    columns,
    Array.from({ length: rows }, (_, r) => columns.map((c) => formatCell(values[c]?.[r]))),
  );
}
