/**
 * Maps a decoded KServe v1 / MLflow payload onto the named tensors a model's ONNX graph takes, the
 * way MLflow's ONNX pyfunc feeds a DataFrame (mlflow/onnx/__init__.py, `predict`):
 *
 * - a table for a model with ONE input not named like a column: the columns, in the signature's
 *   order (or as sent, without a column signature), stacked into one [rows, columns] tensor;
 * - a table, or a dict of lists, for a model whose inputs are named like the columns (sklearn-onnx
 *   pipelines: one [N, 1] or [N] input per column): one tensor per input, by name;
 * - an unnamed list for a single-input model: one tensor whose shape is how the lists nest.
 *
 * Every rejection is a 400 naming the column or input, what the model expects and what arrived.
 */
import type { ServedVersionView } from '../../engine/inference-engine.js';
import { isOipDatatype, type OipDatatype, type Tensor } from '../datatypes.js';
import { describeValue } from '../json-elements.js';
import { badRequest } from './bad-request.js';
import { toTensorData } from './convert-elements.js';
import { indexPath, readNestedArray } from './nested-arrays.js';
import type { ColumnsPayload, ScoringPayload } from './scoring-payload.js';

export type ModelInputsView = Pick<ServedVersionView, 'inputs' | 'signature'>;

interface ModelInput {
  readonly name: string;
  readonly datatype: OipDatatype;
  /** -1 for a dimension of any size; [] when the graph does not say (unknown rank). */
  readonly shape: readonly number[];
}

/** What the signature says about the columns of a tabular model, when it names them. */
interface SignatureColumns {
  /** Column names in signature order. */
  readonly names: readonly string[];
  /** Columns the signature marks `required: false`. */
  readonly optional: ReadonlySet<string>;
}

/** How the cells of one named input are described and read. */
interface NamedSource {
  readonly kind: 'column' | 'input';
  readonly textCells: boolean;
  readonly optional: ReadonlySet<string>;
}

const fmt = (shape: readonly number[]): string => JSON.stringify(shape);
const quoteList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
const inputLabel = (input: ModelInput): string => `input '${input.name}' (${input.datatype}, shape ${fmt(input.shape)})`;

function modelInput(input: ServedVersionView['inputs'][number]): ModelInput {
  // A model whose input no OIP datatype describes cannot be served at all: a server fault.
  if (!isOipDatatype(input.datatype)) throw new Error(`model input '${input.name}' has datatype ${input.datatype}, which no request can feed`);
  return { name: input.name, datatype: input.datatype, shape: input.shape };
}

function signatureColumns(signature: ServedVersionView['signature']): SignatureColumns | undefined {
  if (signature?.inputs.kind !== 'columns') return undefined;
  const specs = signature.inputs.specs;
  if (specs.length === 0 || specs.some((s) => s.name === undefined)) return undefined;
  return {
    names: specs.map((s) => s.name as string),
    optional: new Set(specs.filter((s) => !s.required).map((s) => s.name as string)),
  };
}

/**
 * The shape a tensor of `sent` shape takes for `input`, or a 400. One leniency: a flat list feeds
 * an [N, 1] input (a column sent as a plain list of values), as sklearn-onnx inputs are shaped.
 */
function fitShape(sent: readonly number[], input: ModelInput, label: string): number[] {
  if (sent[0] === 0) badRequest(`${label}: the batch is empty; send at least one row`);
  const declared = input.shape;
  if (declared.length === 0) return [...sent];
  const fitted = sent.length === declared.length - 1 && declared[declared.length - 1] === 1 ? [...sent, 1] : [...sent];
  if (fitted.length !== declared.length) {
    const hint = sent.length === declared.length - 1 ? ' (a single row still needs its own enclosing list)' : '';
    badRequest(`${label} needs rank ${declared.length} (shape ${fmt(declared)}); got shape ${fmt(sent)}${hint}`);
  }
  declared.forEach((size, axis) => {
    if (size >= 0 && fitted[axis] !== size) {
      badRequest(`${label} needs size ${size} for dimension ${axis} (shape ${fmt(declared)}); got shape ${fmt(sent)}`);
    }
  });
  return fitted;
}

/** One input fed from a list given under its name (a column, or a named tensor). */
function namedTensor(value: unknown, input: ModelInput, source: NamedSource): Tensor {
  const label =
    source.kind === 'column'
      ? `column '${input.name}' (input '${input.name}', ${input.datatype}, shape ${fmt(input.shape)})`
      : inputLabel(input);
  if (!Array.isArray(value)) return badRequest(`${label} needs a list; got ${describeValue(value)}`);
  const { shape, flat } = readNestedArray(value, label);
  const fitted = fitShape(shape, input, label);
  const rowSize = fitted.slice(1).reduce((n, d) => n * d, 1);
  const position = (i: number): string => {
    if (source.kind === 'input') return `element ${indexPath(i, fitted)}`;
    const row = `row ${Math.floor(i / rowSize)}`;
    return rowSize === 1 ? row : `${row}, element ${indexPath(i % rowSize, fitted.slice(1))}`;
  };
  const optional = source.optional.has(input.name);
  const data = toTensorData(input.datatype, flat, { label, position, textCells: source.textCells, isOptional: () => optional });
  // toTensorData's switch makes data match datatype; TypeScript cannot follow it across the call.
  return { name: input.name, datatype: input.datatype, shape: fitted, data } as Tensor;
}

/** Every model input by name: each must be present, and nothing else may be. */
function tensorsByName(values: ReadonlyMap<string, unknown>, inputs: readonly ModelInput[], source: NamedSource): Tensor[] {
  const expected = new Set(inputs.map((i) => i.name));
  const missing = inputs.map((i) => i.name).filter((n) => !values.has(n));
  const extra = [...values.keys()].filter((n) => !expected.has(n));
  if (missing.length > 0 || extra.length > 0) {
    const what = source.kind === 'column' ? 'columns' : 'inputs';
    badRequest(
      `the model's inputs are ${quoteList([...expected])}, each fed by the ${source.kind} of that name` +
        (missing.length > 0 ? `; missing ${what}: ${quoteList(missing)}` : '') +
        (extra.length > 0 ? `; ${what} the model does not take: ${quoteList(extra)}` : ''),
    );
  }
  return inputs.map((input) => namedTensor(values.get(input.name), input, source));
}

/** The [rows, columns] shape a table stacks into for `input`, or a 400. */
function stackedShape(input: ModelInput, rows: number, order: readonly string[], label: string): number[] {
  const declared = input.shape;
  const sent = `the request has ${plural(order.length, 'column')} (${quoteList(order)})`;
  if (declared.length > 2) badRequest(`${label} takes rank-${declared.length} tensors, not a table; ${sent}`);
  // A rank-1 input takes one value per row; an input of unknown rank (shape []) takes any number.
  const perRow = declared.length === 2 ? declared[1] : declared.length === 1 ? 1 : -1;
  if (perRow >= 0 && perRow !== order.length) badRequest(`${label} takes ${plural(perRow, 'value')} per row; ${sent}`);
  return fitShape(declared.length === 1 ? [rows] : [rows, order.length], input, label);
}

/** A table fed to a single-input model: its columns side by side, in signature order. */
function stackColumns(table: ColumnsPayload, input: ModelInput, declared: SignatureColumns | undefined): Tensor {
  const sent = [...table.columns.keys()];
  const order = declared?.names ?? sent;
  const label = inputLabel(input);
  if (declared !== undefined) {
    const missing = declared.names.filter((n) => !declared.optional.has(n) && !table.columns.has(n));
    const known = new Set(declared.names);
    const extra = sent.filter((n) => !known.has(n));
    if (missing.length > 0 || extra.length > 0) {
      badRequest(
        `the model takes the columns ${quoteList(declared.names)}, stacked in that order into ${label}` +
          (missing.length > 0 ? `; missing required columns: ${quoteList(missing)}` : '') +
          (extra.length > 0 ? `; columns the model does not take: ${quoteList(extra)}` : ''),
      );
    }
  }
  const shape = stackedShape(input, table.rowCount, order, label);
  const width = order.length;
  const cells: unknown[] = new Array(table.rowCount * width);
  order.forEach((name, c) => {
    // An optional column the request left out is missing in every row.
    const column = table.columns.get(name);
    for (let r = 0; r < table.rowCount; r += 1) cells[r * width + c] = column?.[r] ?? null;
  });
  const optional = declared?.optional ?? new Set<string>();
  const data = toTensorData(input.datatype, cells, {
    label,
    position: (i) => `column '${order[i % width]}', row ${Math.floor(i / width)}`,
    textCells: table.textCells,
    isOptional: (i) => optional.has(order[i % width]),
  });
  return { name: input.name, datatype: input.datatype, shape, data } as Tensor;
}

/** A dict of lists read as a table, for a single-input model none of whose keys name its input. */
function dictAsTable(values: ReadonlyMap<string, unknown>, input: ModelInput): ColumnsPayload {
  let first: [string, number] | undefined;
  const columns = new Map<string, readonly unknown[]>();
  for (const [name, value] of values) {
    const asColumn = `'${name}' is not an input of this model (its only input is ${inputLabel(input)}); read as a column, it`;
    if (!Array.isArray(value)) badRequest(`${asColumn} needs a list of values, one per row; got ${describeValue(value)}`);
    const nested = value.findIndex((v) => Array.isArray(v));
    if (nested >= 0) badRequest(`${asColumn} needs one value per row, but row ${nested} is a list`);
    if (first === undefined) first = [name, value.length];
    else if (value.length !== first[1]) {
      badRequest(`column '${name}' has ${value.length} values where column '${first[0]}' has ${first[1]}; every column needs one value per row`);
    }
    columns.set(name, value);
  }
  return { kind: 'columns', columns, rowCount: first?.[1] ?? 0, textCells: false };
}

/** The one input of a single-input model when `names` does not name it: the table-stacking case. */
const soleUnnamedInput = (inputs: readonly ModelInput[], names: ReadonlyMap<string, unknown>): ModelInput | undefined =>
  inputs.length === 1 && !names.has(inputs[0].name) ? inputs[0] : undefined;

export function toModelInputs(payload: ScoringPayload, view: ModelInputsView): Tensor[] {
  const inputs = view.inputs.map(modelInput);
  const declared = signatureColumns(view.signature);
  const optional = declared?.optional ?? new Set<string>();
  switch (payload.kind) {
    case 'tensor': {
      if (inputs.length !== 1) {
        badRequest(
          `this model has ${inputs.length} inputs (${quoteList(inputs.map((i) => i.name))}); an unnamed list feeds only ` +
            'a single-input model: send a dict of named lists, or rows of named columns',
        );
      }
      return [namedTensor(payload.data, inputs[0], { kind: 'input', textCells: false, optional: new Set() })];
    }
    case 'named-tensors': {
      if (payload.tensors.size === 0) badRequest('the request names no inputs or columns');
      const sole = soleUnnamedInput(inputs, payload.tensors);
      if (sole !== undefined) {
        const table = dictAsTable(payload.tensors, sole);
        if (table.rowCount === 0) badRequest('the request holds no rows; send at least one');
        return [stackColumns(table, sole, declared)];
      }
      return tensorsByName(payload.tensors, inputs, { kind: 'input', textCells: false, optional });
    }
    case 'columns': {
      if (payload.rowCount === 0) badRequest('the request holds no rows; send at least one');
      const sole = soleUnnamedInput(inputs, payload.columns);
      if (sole !== undefined) return [stackColumns(payload, sole, declared)];
      return tensorsByName(payload.columns, inputs, { kind: 'column', textCells: payload.textCells, optional });
    }
  }
}
