/**
 * Schema checks: the current dataset against the reference (missing and extra columns, and the
 * kind of values each column holds) and against the model's MLflow signature.
 */
import { formatCategory } from '../condition.js';
import type { CheckContext } from '../context.js';
import { judge, skippedResult } from '../outcome.js';
import type { PreparedColumn } from '../table.js';
import type { Category, QualityTestResult, SignatureType } from '../types.js';

/**
 * What a column stores, pandas dtype-like. int and float are one kind: JSON cannot tell 1.0 from
 * 1, so a float column of whole numbers would look like a type change. 'empty' (every cell
 * missing) says nothing about the type and matches any kind.
 */
type StorageKind = 'number' | 'string' | 'boolean' | 'mixed' | 'empty';

function storageKind(column: PreparedColumn): StorageKind {
  const kinds = new Set(column.present.map((v) => typeof v));
  if (kinds.size === 0) return 'empty';
  if (kinds.size > 1) return 'mixed';
  return [...kinds][0] as 'number' | 'string' | 'boolean';
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

export function referenceSchemaCheck(context: CheckContext): QualityTestResult {
  const target = { check: 'reference_schema', name: 'Column Types' } as const;
  const { reference, current } = context;
  if (!reference) return skippedResult(target, 'There is no reference dataset to compare the schema with.');
  const missing = reference.names.filter((n) => !current.columns.has(n));
  const extra = current.names.filter((n) => !reference.columns.has(n));
  const changed: string[] = [];
  for (const name of reference.names) {
    const now = current.columns.get(name);
    if (!now) continue;
    const before = storageKind(reference.columns.get(name) as PreparedColumn);
    const after = storageKind(now);
    if (before !== after && before !== 'empty' && after !== 'empty') changed.push(`'${name}' (${before} in reference, ${after} in current)`);
  }
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`Missing columns: ${quoted(missing)}.`);
  if (extra.length > 0) parts.push(`Extra columns: ${quoted(extra)}.`);
  if (changed.length > 0) parts.push(`Changed types: ${changed.join(', ')}.`);
  const value = missing.length + extra.length + changed.length;
  const sentence = `The number of schema differences from the reference is ${value}.${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
  return judge(target, context.settings(target.check), value, sentence, { condition: { eq: 0 }, origin: 'the schema of the reference' });
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Whether a present value fits an MLflow column type, and how to say it does not. */
const SIGNATURE_FIT: Readonly<Record<SignatureType, { fits: (v: Category) => boolean; wrong: string }>> = {
  double: { fits: (v) => typeof v === 'number', wrong: 'not numbers' },
  float: { fits: (v) => typeof v === 'number', wrong: 'not numbers' },
  long: { fits: (v) => typeof v === 'number' && Number.isSafeInteger(v), wrong: 'not integers' },
  integer: {
    fits: (v) => typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX,
    wrong: 'not 32-bit integers',
  },
  boolean: { fits: (v) => typeof v === 'boolean', wrong: 'not booleans' },
  string: { fits: (v) => typeof v === 'string', wrong: 'not strings' },
  // MLflow reads datetimes from JSON as strings pandas can parse; Date.parse stands in for it.
  datetime: { fits: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)), wrong: 'not dates' },
};

function wrongValues(column: PreparedColumn, type: SignatureType): string | undefined {
  const { fits, wrong } = SIGNATURE_FIT[type];
  const bad = column.present.filter((v) => !fits(v));
  if (bad.length === 0) return undefined;
  return `'${column.name}' (${type}) has ${bad.length} values that are ${wrong}, e.g. ${formatCategory(bad[0])}`;
}

export function signatureCheck(context: CheckContext): QualityTestResult {
  const target = { check: 'signature', name: 'Model Signature' } as const;
  const signature = context.input.signature;
  if (!signature) return skippedResult(target, 'There is no model signature to compare the current dataset with.');
  const { current } = context;
  const declared = new Set(signature.map((c) => c.name));
  // MLflow treats a column as required unless the signature says otherwise.
  const missing = signature.filter((c) => c.required !== false && !current.columns.has(c.name)).map((c) => c.name);
  const extra = current.names.filter((n) => !declared.has(n));
  const wrong: string[] = [];
  for (const spec of signature) {
    const column = current.columns.get(spec.name);
    const problem = column ? wrongValues(column, spec.type) : undefined;
    if (problem) wrong.push(problem);
  }
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`Missing required columns: ${quoted(missing)}.`);
  if (extra.length > 0) parts.push(`Extra columns: ${quoted(extra)}.`);
  if (wrong.length > 0) parts.push(`Wrong types: ${wrong.join('; ')}.`);
  const value = missing.length + extra.length + wrong.length;
  const sentence = `The number of mismatches with the model signature is ${value}.${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
  return judge(target, context.settings(target.check), value, sentence, { condition: { eq: 0 }, origin: 'the model signature' });
}
