import type { SavedInputExampleInfo } from './mlmodel.js';
import type { ColumnSpec, ModelSignature, TensorSpec } from './signature.js';

/**
 * Checks a saved input example against the signature's inputs, as far as the example's JSON form
 * allows (mlflow/models/utils.py, `_Example`):
 *   ndarray   `{"inputs": [[...], ...]}` for one array, `{"inputs": {"name": [...]}}` for several
 *   dataframe `{"columns": [...], "data": [[...], ...]}` (orient split) or `{"data": [...]}` (values)
 * With `params` in the info the file is `{"inputs": <the above>, "params": {...}}`. Other example
 * types (json_object, sparse matrices) are only required to be JSON.
 *
 * Returns problems in words; empty when the example fits.
 */
export function checkInputExample(
  info: SavedInputExampleInfo,
  text: string,
  signature: ModelSignature | undefined,
): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return [`The input example \`${info.artifact_path}\` is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`];
  }
  if (signature === undefined || signature.inputs.specs.length === 0) return [];
  const data = hasParams(info) && isRecord(json) ? json.inputs : json;
  const found =
    info.type === 'ndarray' ? checkNdarrayExample(data, signature) : info.type === 'dataframe' ? checkDataframeExample(data, signature) : [];
  return found.map((p) => `The input example \`${info.artifact_path}\` does not fit the signature: ${p}.`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasParams = (info: SavedInputExampleInfo): boolean => info.params === 'true' || info.params === true;
const fmtShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function checkNdarrayExample(data: unknown, signature: ModelSignature): string[] {
  if (!isRecord(data) || !('inputs' in data)) return ['an ndarray example must be an object with `inputs`'];
  const payload = data.inputs;
  const inputs = signature.inputs;
  if (Array.isArray(payload)) {
    if (inputs.kind === 'columns') return checkRows(payload, inputs.specs);
    if (inputs.specs.length !== 1) return [`it is a single array, but the signature declares ${inputs.specs.length} inputs`];
    return checkArray('the array', payload, inputs.specs[0] as TensorSpec);
  }
  if (!isRecord(payload)) return ['`inputs` must be an array or an object of named arrays'];
  if (inputs.kind === 'columns') return [];
  const problems: string[] = [];
  const specs = new Map(inputs.specs.map((s, i) => [s.name ?? String(i), s]));
  for (const [name, spec] of specs) {
    if (!(name in payload)) problems.push(`it has no array for input \`${name}\``);
    else problems.push(...checkArray(`input \`${name}\``, payload[name], spec));
  }
  for (const name of Object.keys(payload)) {
    if (!specs.has(name)) problems.push(`it has an array \`${name}\` for no declared input`);
  }
  return problems;
}

function checkDataframeExample(data: unknown, signature: ModelSignature): string[] {
  if (!isRecord(data) || !Array.isArray(data.data)) return ['a dataframe example must be an object with `data` rows'];
  const rows = data.data;
  const columns = Array.isArray(data.columns) ? data.columns.map(String) : undefined;
  const inputs = signature.inputs;
  if (inputs.kind === 'tensor') {
    // mlflow.onnx feeds a one-input model `frame.values`, a many-input model one column per input.
    if (inputs.specs.length === 1) return checkArray('the frame', rows, inputs.specs[0] as TensorSpec);
    if (columns === undefined) return [`it has unnamed columns, but the signature's ${inputs.specs.length} inputs are fed by column name`];
    return inputs.specs.filter((s) => s.name !== undefined && !columns.includes(s.name)).map((s) => `it has no column for input \`${s.name}\``);
  }
  if (columns === undefined || inputs.specs.some((c) => c.name === undefined)) return checkRows(rows, inputs.specs);
  return inputs.specs
    .filter((c) => c.required && !columns.includes(c.name as string))
    .map((c) => `it has no column for the required input \`${c.name}\``);
}

/** Rows of a frame against column specs: same width, values of the column's kind. */
function checkRows(rows: unknown[], columns: readonly ColumnSpec[]): string[] {
  const problems: string[] = [];
  rows.forEach((row, r) => {
    const cells = Array.isArray(row) ? row : [row];
    if (cells.length !== columns.length) {
      problems.push(`row ${r} has ${cells.length} values, the signature declares ${columns.length} columns`);
      return;
    }
    cells.forEach((cell, c) => {
      const column = columns[c] as ColumnSpec;
      const kind = COLUMN_KIND[column.type];
      if (kind !== undefined && !valueIs(kind, cell)) {
        problems.push(`row ${r}, column ${column.name ?? c}: ${JSON.stringify(cell)} is not a ${column.type}`);
      }
    });
  });
  return problems.slice(0, 5);
}

type ValueKind = 'integer' | 'number' | 'boolean' | 'string';

const COLUMN_KIND: Record<string, ValueKind> = {
  boolean: 'boolean',
  integer: 'integer',
  long: 'integer',
  float: 'number',
  double: 'number',
  string: 'string',
};

function dtypeKind(dtype: string): ValueKind | undefined {
  if (/^u?int\d*$/.test(dtype)) return 'integer';
  if (/^float\d*$/.test(dtype) || dtype === 'double') return 'number';
  if (dtype === 'bool') return 'boolean';
  if (dtype === 'str') return 'string';
  return undefined;
}

// JSON has no NaN: MLflow writes missing numbers as null.
function valueIs(kind: ValueKind, v: unknown): boolean {
  if (v === null) return kind !== 'boolean';
  if (kind === 'integer') return Number.isInteger(v);
  if (kind === 'number') return typeof v === 'number';
  if (kind === 'boolean') return typeof v === 'boolean';
  return typeof v === 'string';
}

/** A nested JSON array against a tensor spec: rectangular, same rank, fixed sizes, leaf kind. */
function checkArray(what: string, value: unknown, spec: TensorSpec): string[] {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const leaves: unknown[] = [];
  if (!collect(value, shape, 0, leaves)) return [`${what} is ragged (not every row has the same length)`];
  if (shape.length !== spec.shape.length) {
    return [`${what} has shape ${fmtShape(shape)}, rank ${shape.length}; the signature declares rank ${spec.shape.length} (${fmtShape(spec.shape)})`];
  }
  const problems: string[] = [];
  if (spec.shape.some((d, axis) => d >= 0 && shape[axis] !== d)) {
    problems.push(`${what} has shape ${fmtShape(shape)}; the signature declares ${fmtShape(spec.shape)}`);
  }
  const kind = dtypeKind(spec.dtype);
  const bad = kind === undefined ? -1 : leaves.findIndex((v) => !valueIs(kind, v));
  if (bad >= 0) problems.push(`${what} holds ${JSON.stringify(leaves[bad])}, which is not a ${spec.dtype} value`);
  return problems;
}

/** Walks a nested array of the expected shape, gathering its leaves; false when it is ragged. */
function collect(value: unknown, shape: readonly number[], depth: number, leaves: unknown[]): boolean {
  if (depth === shape.length) {
    if (Array.isArray(value)) return false;
    leaves.push(value);
    return true;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) return false;
  return value.every((item) => collect(item, shape, depth + 1, leaves));
}
