/**
 * Evidently's ColumnMapping as a JSON file, and the columns and types it selects for the report.
 *
 * ```json
 * { "numerical_features": ["age", "income"], "categorical_features": ["plan"],
 *   "target": "churned", "prediction": "score", "datetime": "ts", "id": "user_id",
 *   "datetime_features": ["signup_date"] }
 * ```
 *
 * Selection follows Evidently's process_columns: `id`, `datetime` and `datetime_features` are never
 * compared; a feature list that is absent is inferred from the remaining columns (numerical: number
 * columns; categorical: text and boolean columns; date and time columns are left out unless
 * listed); `target` and `prediction` are compared as well. Listed numerical features are tested as
 * numerical and listed categorical ones as categorical; for the others the type follows the file:
 * float columns are numerical, integer columns Evidently's rule (categorical at ≤ 5 distinct
 * values), text and boolean columns categorical.
 */
import { readFile } from 'node:fs/promises';
import type { ColumnType } from '@capstan/server/monitoring-report';
import { UsageError } from '../errors.js';
import type { ColumnKind } from '@capstan/server/table-files';

export interface ColumnMapping {
  numerical_features?: string[];
  categorical_features?: string[];
  datetime_features?: string[];
  target?: string;
  /** One column; a list (probability columns) compares each listed column. */
  prediction?: string | string[];
  datetime?: string;
  id?: string;
}

const LIST_KEYS = ['numerical_features', 'categorical_features', 'datetime_features'] as const;
const NAME_KEYS = ['target', 'datetime', 'id'] as const;
const KNOWN = new Set<string>([...LIST_KEYS, ...NAME_KEYS, 'prediction']);
/** Keys Evidently's ColumnMapping has that a drift report has no use for, or cannot honour. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  text_features: 'text drift (a domain classifier in Evidently) is not supported',
  embeddings: 'embedding drift is not supported',
};
/** ColumnMapping keys that change nothing in a drift report; accepted so Evidently's files load as they are. */
const IGNORED = new Set(['task', 'pos_label', 'target_names', 'user_id', 'item_id', 'recommendations_type']);

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Checks a parsed mapping, naming the first key that is wrong. */
export function parseColumnMapping(raw: unknown, file: string): ColumnMapping {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${file}: a column mapping is a JSON object`);
  const mapping: ColumnMapping = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || IGNORED.has(key)) continue;
    if (key in UNSUPPORTED) throw new UsageError(`${file}: ${key}: ${UNSUPPORTED[key]}`);
    if (!KNOWN.has(key)) throw new UsageError(`${file}: unknown key '${key}' (expected ${[...KNOWN].join(', ')})`);
    if ((LIST_KEYS as readonly string[]).includes(key)) {
      if (!isStringList(value)) throw new UsageError(`${file}: ${key}: must be a list of column names`);
      mapping[key as (typeof LIST_KEYS)[number]] = value;
    } else if (key === 'prediction') {
      if (typeof value !== 'string' && !isStringList(value)) throw new UsageError(`${file}: prediction: must be a column name or a list of them`);
      mapping.prediction = value;
    } else {
      if (typeof value !== 'string') throw new UsageError(`${file}: ${key}: must be a column name`);
      mapping[key as (typeof NAME_KEYS)[number]] = value;
    }
  }
  return mapping;
}

export async function readColumnMapping(file: string): Promise<ColumnMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read the column mapping`);
  }
  try {
    return parseColumnMapping(JSON.parse(text), file);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UsageError(`${file}: not JSON: ${err.message}`);
    throw err;
  }
}

export interface Selection {
  /** Columns to compare, in reference file order. */
  columns: string[];
  /** Types decided here; the drift library infers the others. */
  columnTypes: Record<string, ColumnType>;
  /** Columns both files have that are not compared, with why (printed for the user). */
  excluded: { column: string; why: string }[];
}

/**
 * The columns to compare and their types. `kinds` is the reference file's kind per column, and
 * `currentKinds` the current file's: a column typed float on either side is numerical.
 */
export function selectColumns(mapping: ColumnMapping, kinds: ReadonlyMap<string, ColumnKind>, currentKinds: ReadonlyMap<string, ColumnKind>): Selection {
  const inBoth = [...kinds.keys()].filter((name) => currentKinds.has(name));
  const listed = [...(mapping.numerical_features ?? []), ...(mapping.categorical_features ?? []), ...(mapping.datetime_features ?? [])];
  const predictions = mapping.prediction === undefined ? [] : typeof mapping.prediction === 'string' ? [mapping.prediction] : mapping.prediction;
  const named = [mapping.target, ...predictions, mapping.id, mapping.datetime].filter((n): n is string => n !== undefined);
  for (const name of [...listed, ...named]) {
    if (!kinds.has(name)) throw new UsageError(`column mapping names '${name}', which the reference file does not have`);
    if (!currentKinds.has(name)) throw new UsageError(`column mapping names '${name}', which the current file does not have`);
  }

  const utility = new Set([mapping.id, mapping.datetime, mapping.target, ...predictions].filter((n): n is string => n !== undefined));
  const datetimeFeatures = new Set(mapping.datetime_features ?? []);
  const numberKind = (name: string) => ['float', 'integer'].includes(kinds.get(name)!) && ['float', 'integer'].includes(currentKinds.get(name)!);
  const temporal = (name: string) => kinds.get(name) === 'temporal' || currentKinds.get(name) === 'temporal';
  const free = inBoth.filter((name) => !utility.has(name) && !datetimeFeatures.has(name));
  const numerical = new Set(mapping.numerical_features ?? free.filter((name) => numberKind(name) && !mapping.categorical_features?.includes(name)));
  const categorical = new Set(mapping.categorical_features ?? free.filter((name) => !numberKind(name) && !temporal(name) && !numerical.has(name)));
  const both = [...numerical].filter((name) => categorical.has(name));
  if (both.length) throw new UsageError(`column mapping lists '${both[0]}' as both numerical and categorical`);

  const compared = new Set([...numerical, ...categorical, ...(mapping.target !== undefined ? [mapping.target] : []), ...predictions]);
  const columns = inBoth.filter((name) => compared.has(name));
  const columnTypes: Record<string, ColumnType> = {};
  for (const name of columns) {
    if (mapping.numerical_features?.includes(name)) columnTypes[name] = 'numerical';
    else if (mapping.categorical_features?.includes(name)) columnTypes[name] = 'categorical';
    // A float column is pandas' float64: numerical for Evidently even when every value is whole,
    // which JavaScript numbers cannot show. Integer, text and boolean columns are typed by the
    // drift library as Evidently types them (integers categorical at <= 5 distinct values).
    else if (kinds.get(name) === 'float' || currentKinds.get(name) === 'float') columnTypes[name] = 'numerical';
  }

  const excluded = inBoth
    .filter((name) => !compared.has(name))
    .map((column) => ({
      column,
      why:
        column === mapping.id
          ? 'id column'
          : column === mapping.datetime
            ? 'datetime column'
            : datetimeFeatures.has(column)
              ? 'datetime feature'
              : temporal(column)
                ? 'date/time type'
                : 'not in the mapped features',
    }));
  return { columns, columnTypes, excluded };
}
