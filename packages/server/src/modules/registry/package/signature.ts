import { invalidParameter } from '../../../core/errors.js';
import type { MlModel } from './mlmodel.js';
import { pythonJson } from './python-json.js';

/**
 * A model signature as MLflow defines it (mlflow/models/signature.py, mlflow/types/schema.py):
 * inputs and outputs are either all tensors (NumPy dtype name + shape, -1 for a dimension of any
 * size) or all columns (an MLflow DataType name). In MLmodel each schema is stored as a JSON string.
 */
export interface TensorSpec {
  name?: string;
  /** NumPy dtype name as MLflow writes it (`np.dtype(...).name`): float32, int64, bool, str... */
  dtype: string;
  /** -1 marks a variable dimension. */
  shape: number[];
}

export interface ColumnSpec {
  name?: string;
  /** boolean, integer, long, float, double, string, binary, datetime; or array, object, map, any. */
  type: string;
  required: boolean;
  /**
   * The rest of the column's JSON for the composite types (`items` of an array, `properties` of an
   * object, `values` of a map), kept verbatim so a signature round-trips without loss.
   */
  detail?: Record<string, unknown>;
}

export type SignatureSchema = { kind: 'tensor'; specs: TensorSpec[] } | { kind: 'columns'; specs: ColumnSpec[] };

export interface ModelSignature {
  inputs: SignatureSchema;
  outputs: SignatureSchema | undefined;
  /** MLflow's ParamSchema entries (`{name, type, default, shape}`), passed through as they are. */
  params?: unknown[];
}

export type MlflowSignatureFields = NonNullable<MlModel['signature']>;

const DATA_TYPES = new Set(['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']);
const COMPOSITE_TYPES = new Set(['array', 'object', 'map', 'any', 'sparkml_vector']);

/** Reads an MLmodel `signature` block; undefined when the MLmodel declares no inputs and no outputs. */
export function parseMlflowSignature(signature: MlModel['signature']): ModelSignature | undefined {
  if (signature === undefined) return undefined;
  const inputs = parseSchema('inputs', signature.inputs);
  const outputs = parseSchema('outputs', signature.outputs);
  const params = parseParams(signature.params);
  if (inputs === undefined && outputs === undefined) return undefined;
  return {
    // MLflow allows an outputs-only signature; an empty input list stands for "not declared".
    inputs: inputs ?? { kind: 'columns', specs: [] },
    outputs,
    ...(params === undefined ? {} : { params }),
  };
}

/** The MLmodel `signature` block for a signature, written as MLflow's `ModelSignature.to_dict`. */
export function toMlflowSignature(sig: ModelSignature): MlflowSignatureFields {
  return {
    inputs: schemaToJson(sig.inputs),
    outputs: sig.outputs === undefined ? null : schemaToJson(sig.outputs),
    params: sig.params === undefined || sig.params.length === 0 ? null : pythonJson(sig.params),
  };
}

function parseJsonList(field: string, text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidParameter(`The MLmodel signature's ${field} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(value)) throw invalidParameter(`The MLmodel signature's ${field} must be a JSON list.`);
  return value;
}

function parseSchema(field: 'inputs' | 'outputs', text: string | null | undefined): SignatureSchema | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const entries = parseJsonList(field, text);
  if (entries.length === 0) return undefined;
  const isTensor = entries.map((e, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      throw invalidParameter(`The MLmodel signature's ${field}[${i}] must be a JSON object.`);
    }
    return (e as Record<string, unknown>).type === 'tensor';
  });
  const records = entries as Record<string, unknown>[];
  if (isTensor.every(Boolean)) return { kind: 'tensor', specs: records.map((e, i) => parseTensorSpec(`${field}[${i}]`, e)) };
  if (!isTensor.some(Boolean)) return { kind: 'columns', specs: records.map((e, i) => parseColumnSpec(`${field}[${i}]`, e)) };
  throw invalidParameter(`The MLmodel signature's ${field} mixes tensors and columns; MLflow allows one kind per schema.`);
}

function optionalName(where: string, value: unknown): { name?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw invalidParameter(`The MLmodel signature's ${where}.name must be a string.`);
  return { name: value };
}

function parseTensorSpec(where: string, entry: Record<string, unknown>): TensorSpec {
  const spec = entry['tensor-spec'];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw invalidParameter(`The MLmodel signature's ${where} is a tensor without a "tensor-spec" object.`);
  }
  const { dtype, shape } = spec as Record<string, unknown>;
  if (typeof dtype !== 'string' || dtype === '') {
    throw invalidParameter(`The MLmodel signature's ${where} has no dtype.`);
  }
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isInteger(d) && d >= -1)) {
    throw invalidParameter(`The MLmodel signature's ${where} shape must be a list of integers (-1 for a variable dimension).`);
  }
  return { ...optionalName(where, entry.name), dtype, shape };
}

function parseColumnSpec(where: string, entry: Record<string, unknown>): ColumnSpec {
  const { type, name, required, ...rest } = entry;
  if (typeof type !== 'string' || !(DATA_TYPES.has(type) || COMPOSITE_TYPES.has(type))) {
    throw invalidParameter(
      `The MLmodel signature's ${where} has an unsupported type ${JSON.stringify(type)}; expected tensor or one of ${[...DATA_TYPES, ...COMPOSITE_TYPES].join(', ')}.`,
    );
  }
  if (required !== undefined && required !== null && typeof required !== 'boolean') {
    throw invalidParameter(`The MLmodel signature's ${where}.required must be true or false.`);
  }
  return {
    ...optionalName(where, name),
    type,
    // Signatures written before MLflow 2.8 have no `required`; MLflow reads them as required.
    required: required ?? true,
    ...(Object.keys(rest).length > 0 ? { detail: rest } : {}),
  };
}

function parseParams(text: string | null | undefined): unknown[] | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  return parseJsonList('params', text);
}

function schemaToJson(schema: SignatureSchema): string | null {
  if (schema.specs.length === 0) return null;
  if (schema.kind === 'tensor') {
    // Key order of MLflow's TensorSpec.to_dict: name (when set), type, tensor-spec.
    return pythonJson(
      schema.specs.map((s) => ({
        ...(s.name === undefined ? {} : { name: s.name }),
        type: 'tensor',
        'tensor-spec': { dtype: s.dtype, shape: s.shape },
      })),
    );
  }
  // ColSpec.to_dict: type (plus a composite type's own keys), name (when set), required.
  return pythonJson(
    schema.specs.map((s) => ({
      type: s.type,
      ...s.detail,
      ...(s.name === undefined ? {} : { name: s.name }),
      required: s.required,
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Comparing a declared signature with the one a model file actually has.

/** Spellings that name the same NumPy dtype; MLflow writes canonical names, people may not. */
const DTYPE_ALIASES: Record<string, string> = {
  float: 'float64',
  double: 'float64',
  single: 'float32',
  half: 'float16',
  int: 'int64',
  long: 'int64',
  bool_: 'bool',
  string: 'str',
  str_: 'str',
  unicode: 'str',
};

const canonicalDtype = (dtype: string): string => DTYPE_ALIASES[dtype] ?? dtype;

/** A graph value that is not a tensor (a sequence or map); its element type is not compared. */
export const NON_TENSOR_DTYPE = 'object';

function dtypesMatch(declared: string, actual: string): boolean {
  if (actual === NON_TENSOR_DTYPE) return true;
  const d = canonicalDtype(declared);
  const a = canonicalDtype(actual);
  // NumPy string arrays are often declared as object arrays.
  return d === a || (d === 'object' && a === 'str');
}

/**
 * How MLflow's pyfunc feeds a column of each DataType to a tensor input, and which tensor dtypes
 * accept it. A double column also feeds a float32 input: mlflow.onnx casts float64 feeds for
 * `tensor(float)` inputs (`_cast_float64_to_float32`).
 */
const COLUMN_FEEDS: Record<string, readonly string[]> = {
  boolean: ['bool'],
  integer: ['int32'],
  long: ['int64'],
  float: ['float32'],
  double: ['float64', 'float32'],
  string: ['str'],
  binary: ['bytes'],
  datetime: ['datetime64[ns]'],
};

type Role = 'input' | 'output';

const fmtShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const label = (role: Role, name: string | undefined, index: number): string =>
  name === undefined ? `${role} #${index}` : `${role} \`${name}\``;
const plural = (role: Role, n: number): string => `${n} ${role}${n === 1 ? '' : 's'}`;
const nameList = (names: readonly (string | undefined)[]): string =>
  names.length === 0 ? 'none' : names.map((n, i) => (n === undefined ? `#${i}` : `\`${n}\``)).join(', ');

/**
 * Where a declared signature (usually MLmodel's) disagrees with the actual one (usually the model
 * graph's), in words, one line per disagreement; empty when they agree. Compared: names (when both
 * sides name every entry; otherwise by position), counts, dtypes, ranks and fixed dimensions
 * (-1 on either side matches any size). Outputs are compared only when both sides declare them.
 */
export function describeSignatureMismatch(declared: ModelSignature, actual: ModelSignature): string[] {
  const problems = declared.inputs.specs.length === 0 ? [] : compareSchemas('input', declared.inputs, actual.inputs);
  if (declared.outputs !== undefined && actual.outputs !== undefined) {
    problems.push(...compareSchemas('output', declared.outputs, actual.outputs));
  }
  return problems;
}

function compareSchemas(role: Role, declared: SignatureSchema, actual: SignatureSchema): string[] {
  if (declared.kind === 'tensor' && actual.kind === 'tensor') return compareTensorLists(role, declared.specs, actual.specs);
  if (declared.kind === 'columns' && actual.kind === 'columns') return compareColumnLists(role, declared.specs, actual.specs);
  if (declared.kind === 'columns' && actual.kind === 'tensor') {
    // Output frames are built from the output tensors in shape-dependent ways (mlflow.onnx's
    // predict): nothing reliable to compare there.
    return role === 'input' ? compareColumnsFedToTensors(declared.specs, actual.specs) : [];
  }
  return [`the ${role}s are declared as ${declared.kind === 'tensor' ? 'tensors' : 'columns'}, the model's are ${actual.kind === 'tensor' ? 'tensors' : 'columns'}`];
}

/** Pairs entries by name when both sides name all of theirs, by position otherwise. */
function pairUp<D extends { name?: string }, A extends { name?: string }>(
  role: Role,
  declared: readonly D[],
  actual: readonly A[],
): { pairs: Array<[D, A, number]>; problems: string[] } {
  const problems: string[] = [];
  const pairs: Array<[D, A, number]> = [];
  const named = (list: readonly { name?: string }[]) => list.length > 0 && list.every((s) => s.name !== undefined);
  if (named(declared) && named(actual)) {
    const byName = new Map(actual.map((a, i) => [a.name, [a, i] as const]));
    const declaredNames = new Set(declared.map((d) => d.name));
    for (const d of declared) {
      const hit = byName.get(d.name);
      if (hit === undefined) {
        problems.push(`${label(role, d.name, 0)} is declared but the model has no ${role} of that name (it has ${nameList(actual.map((a) => a.name))})`);
      } else {
        pairs.push([d, hit[0], hit[1]]);
      }
    }
    for (const a of actual) {
      if (!declaredNames.has(a.name)) problems.push(`the model's ${label(role, a.name, 0)} is missing from the declared signature`);
    }
    return { pairs, problems };
  }
  if (declared.length !== actual.length) {
    problems.push(`declared ${plural(role, declared.length)}, the model has ${actual.length} (${nameList(actual.map((a) => a.name))})`);
  }
  for (let i = 0; i < Math.min(declared.length, actual.length); i += 1) pairs.push([declared[i] as D, actual[i] as A, i]);
  return { pairs, problems };
}

function compareTensorLists(role: Role, declared: readonly TensorSpec[], actual: readonly TensorSpec[]): string[] {
  const { pairs, problems } = pairUp(role, declared, actual);
  for (const [d, a, i] of pairs) problems.push(...compareTensors(label(role, a.name ?? d.name, i), d, a));
  return problems;
}

function compareTensors(what: string, declared: TensorSpec, actual: TensorSpec): string[] {
  const problems: string[] = [];
  if (!dtypesMatch(declared.dtype, actual.dtype)) {
    problems.push(`${what}: declared dtype ${declared.dtype}, the model has ${actual.dtype}`);
  }
  // onnxruntime reports an unknown rank as an empty shape, the same as a scalar: no rank to check.
  if (actual.dtype === NON_TENSOR_DTYPE || actual.shape.length === 0) return problems;
  if (declared.shape.length !== actual.shape.length) {
    problems.push(
      `${what}: declared rank ${declared.shape.length} (shape ${fmtShape(declared.shape)}), the model has rank ${actual.shape.length} (shape ${fmtShape(actual.shape)})`,
    );
    return problems;
  }
  declared.shape.forEach((d, axis) => {
    const a = actual.shape[axis] ?? -1;
    if (d >= 0 && a >= 0 && d !== a) {
      problems.push(
        `${what}: declared size ${d} for dimension ${axis}, the model has ${a} (declared shape ${fmtShape(declared.shape)}, the model's ${fmtShape(actual.shape)})`,
      );
    }
  });
  return problems;
}

function compareColumnLists(role: Role, declared: readonly ColumnSpec[], actual: readonly ColumnSpec[]): string[] {
  const { pairs, problems } = pairUp(role, declared, actual);
  for (const [d, a, i] of pairs) {
    if (d.type !== a.type) problems.push(`${label(role, a.name ?? d.name, i)}: declared type ${d.type}, the model has ${a.type}`);
  }
  return problems;
}

/**
 * A column signature on a tensor model is legitimate: MLflow's ONNX pyfunc feeds a one-input model
 * the whole frame as a [rows, columns] tensor, and a many-input model one column per input, by name.
 */
function compareColumnsFedToTensors(columns: readonly ColumnSpec[], tensors: readonly TensorSpec[]): string[] {
  const feeds = (column: ColumnSpec, tensor: TensorSpec): boolean =>
    tensor.dtype === NON_TENSOR_DTYPE || (COLUMN_FEEDS[column.type] ?? []).includes(canonicalDtype(tensor.dtype));
  const problems: string[] = [];
  if (tensors.length === 1) {
    const tensor = tensors[0] as TensorSpec;
    const what = label('input', tensor.name, 0);
    if (tensor.shape.length !== 0 && tensor.shape.length !== 2) {
      problems.push(`${what}: declared ${columns.length} columns, fed as one [rows, ${columns.length}] tensor, but the model's has rank ${tensor.shape.length} (shape ${fmtShape(tensor.shape)})`);
    } else if (tensor.shape.length === 2 && (tensor.shape[1] ?? -1) >= 0 && tensor.shape[1] !== columns.length) {
      problems.push(`${what}: declared ${columns.length} columns, the model takes ${tensor.shape[1]} (shape ${fmtShape(tensor.shape)})`);
    }
    columns.forEach((c, i) => {
      if (!feeds(c, tensor)) problems.push(`${label('input', c.name, i)}: a ${c.type} column cannot feed the model's ${tensor.dtype} ${what}`);
    });
    return problems;
  }
  const { pairs, problems: naming } = pairUp('input', columns, tensors);
  problems.push(...naming);
  for (const [c, t, i] of pairs) {
    if (!feeds(c, t)) problems.push(`${label('input', t.name ?? c.name, i)}: a ${c.type} column cannot feed the model's ${t.dtype} tensor`);
  }
  return problems;
}
