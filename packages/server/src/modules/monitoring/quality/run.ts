/**
 * The entry point: validate, prepare both datasets once, summarize them, then run the dataset,
 * schema and per-column checks in that order (the order results are listed in).
 */
import { inferColumnType } from '../drift/column-type.js';
import type { TestableColumnType } from '../drift/types.js';
import { datasetChecks } from './checks/dataset.js';
import { columnChecks } from './checks/column.js';
import { referenceSchemaCheck, signatureCheck } from './checks/schema.js';
import { validateCondition } from './condition.js';
import { settingsResolver, type CheckContext } from './context.js';
import { QualityError } from './errors.js';
import { missingTest } from './missing.js';
import { summarizeDataset } from './summary.js';
import { prepareDataset, type PreparedDataset } from './table.js';
import { CHECK_IDS, SIGNATURE_TYPES, type ChecksOptions, type QualityInput, type QualityReport, type SignatureColumn } from './types.js';

const DEFAULT_ALMOST_CONSTANT_SHARE = 0.95;
const DEFAULT_N_SIGMAS = 2;

function validateChecks(where: string, checks: ChecksOptions | undefined): void {
  for (const [check, options] of Object.entries(checks ?? {})) {
    if (!(CHECK_IDS as readonly string[]).includes(check)) {
      throw new QualityError(`Unknown check '${check}' in ${where}. Available checks: ${CHECK_IDS.join(', ')}`);
    }
    if (options?.condition !== undefined) validateCondition(`check '${check}' in ${where}`, options.condition);
  }
}

function validateSignature(signature: readonly SignatureColumn[]): void {
  const seen = new Set<string>();
  for (const column of signature) {
    if (!(SIGNATURE_TYPES as readonly string[]).includes(column.type)) {
      throw new QualityError(`Signature column '${column.name}' has an unknown type '${String(column.type)}'.`);
    }
    if (seen.has(column.name)) throw new QualityError(`Signature column '${column.name}' is declared twice.`);
    seen.add(column.name);
  }
}

function validateInput(input: QualityInput): { almostConstantShare: number; nSigmas: number } {
  const almostConstantShare = input.almostConstantShare ?? DEFAULT_ALMOST_CONSTANT_SHARE;
  if (!(almostConstantShare > 0 && almostConstantShare <= 1)) {
    throw new QualityError(`almostConstantShare must be in (0, 1], got ${almostConstantShare}.`);
  }
  const nSigmas = input.nSigmas ?? DEFAULT_N_SIGMAS;
  if (!(nSigmas > 0 && Number.isFinite(nSigmas))) throw new QualityError(`nSigmas must be a positive number, got ${nSigmas}.`);
  for (const [column, type] of Object.entries(input.columnTypes ?? {})) {
    if (type !== 'numerical' && type !== 'categorical') {
      throw new QualityError(`Column '${column}' has an unknown column type '${String(type)}'.`);
    }
  }
  validateChecks('checks', input.checks);
  for (const [column, checks] of Object.entries(input.columnChecks ?? {})) validateChecks(`column '${column}'`, checks);
  if (input.signature) validateSignature(input.signature);
  return { almostConstantShare, nSigmas };
}

/**
 * A column's kind: given, else the drift library's inference on both sides with every missing
 * marker as null (so '' in a number column does not make it categorical).
 */
function typeResolver(input: QualityInput, current: PreparedDataset, reference?: PreparedDataset): (column: string) => TestableColumnType {
  const cache = new Map<string, TestableColumnType>();
  return (column) => {
    const given = input.columnTypes?.[column];
    if (given) return given;
    let type = cache.get(column);
    if (type === undefined) {
      const now = current.columns.get(column)?.normalized;
      const before = reference?.columns.get(column)?.normalized;
      type = inferColumnType(before ?? now ?? [], now ?? before ?? []);
      cache.set(column, type);
    }
    return type;
  };
}

export function runQualityChecks(input: QualityInput): QualityReport {
  const { almostConstantShare, nSigmas } = validateInput(input);
  const isMissing = missingTest(input.missingValues);
  const current = prepareDataset('current', input.current, isMissing);
  const reference = input.reference === undefined ? undefined : prepareDataset('reference', input.reference, isMissing);
  const typeOf = typeResolver(input, current, reference);
  const currentSummary = summarizeDataset(current, typeOf, reference);
  const referenceSummary = reference ? summarizeDataset(reference, typeOf) : undefined;
  const context: CheckContext = {
    input,
    current,
    reference,
    currentSummary,
    referenceSummary,
    almostConstantShare,
    nSigmas,
    settings: settingsResolver(input),
  };
  const tests = [...datasetChecks(context)];
  if (context.settings('reference_schema').enabled) tests.push(referenceSchemaCheck(context));
  if (context.settings('signature').enabled) tests.push(signatureCheck(context));
  tests.push(...columnChecks(context));
  return { tests, summary: { current: currentSummary, ...(referenceSummary ? { reference: referenceSummary } : {}) } };
}
