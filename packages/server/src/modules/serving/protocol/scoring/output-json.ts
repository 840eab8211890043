/**
 * A model output as the plain JSON the v1 and MLflow formats return: nested lists following the
 * tensor's shape, the way numpy's `tolist()` renders it. Elements: BOOL as true/false, FP16 as
 * numbers, INT64/UINT64 as numbers when exact (class labels, counts) and as decimal strings beyond
 * 2^53, where a JSON number would silently round; BYTES as strings.
 */
import { halfBitsToNumber, type Tensor } from '../datatypes.js';
import { checkOutputTensor } from '../tensor-wire.js';
import { nestRowMajor } from './nested-arrays.js';

export type JsonElement = number | string | boolean;

const bigToJson = (value: bigint): number | string => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
};

function flatJsonElements(tensor: Tensor): JsonElement[] {
  switch (tensor.datatype) {
    case 'BOOL':
    case 'BYTES':
      return [...tensor.data];
    case 'INT64':
    case 'UINT64':
      return Array.from(tensor.data, bigToJson);
    case 'FP16':
      return Array.from(tensor.data, halfBitsToNumber);
    default:
      return Array.from(tensor.data);
  }
}

/** The output as nested lists (a flat list for one dimension, a bare value for a scalar). */
export function tensorToNestedJson(tensor: Tensor): unknown {
  checkOutputTensor(tensor);
  return nestRowMajor(flatJsonElements(tensor), tensor.shape);
}
