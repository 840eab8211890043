import { halfBitsToNumber, type Tensor } from '../protocol/datatypes.js';
import { toModelInputs } from '../protocol/scoring/to-model-inputs.js';
import type { ServedVersionView } from './inference-engine.js';

/**
 * Lets OIP callers of a tabular model send one tensor per signature column (as MLServer's pandas
 * codec does: `{"name": "amount", "datatype": "FP64", "shape": [2], ...}`, typed as the signature
 * says) instead of the model's own inputs. Tensors that already fit the model's inputs pass through
 * untouched; anything else that is not a set of signature columns is left for the input check to
 * explain.
 */
export function adaptTabularInputs(inputs: readonly Tensor[], view: ServedVersionView): readonly Tensor[] {
  if (inputs.every((t) => view.inputs.some((i) => i.name === t.name && i.datatype === t.datatype && i.shape.length === t.shape.length))) return inputs;
  const signature = view.signature?.inputs;
  if (signature?.kind !== 'columns') return inputs;
  const names = new Set(signature.specs.map((s) => s.name));
  if (!inputs.every((t) => names.has(t.name) && isColumn(t))) return inputs;
  const rowCount = inputs[0]?.shape[0] ?? 0;
  if (!inputs.every((t) => t.shape[0] === rowCount)) return inputs;
  const columns = new Map<string, readonly unknown[]>(inputs.map((t) => [t.name, cellsOf(t)]));
  return toModelInputs({ kind: 'columns', columns, rowCount, textCells: false }, view);
}

/** `[rows]` or `[rows, 1]`: one value per row. */
function isColumn(t: Tensor): boolean {
  return t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1);
}

function cellsOf(t: Tensor): unknown[] {
  if (t.datatype === 'FP16') return Array.from(t.data, halfBitsToNumber);
  // Large 64-bit integers stay bigints: the conversion keeps them exact or refuses them.
  return Array.from(t.data as ArrayLike<unknown>);
}
