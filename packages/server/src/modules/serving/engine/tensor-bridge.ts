/**
 * Between the protocols' tensors (OIP datatypes, `Tensor`) and the runtime's (`RuntimeTensor`).
 * The typed arrays are shared, never copied; only BOOL changes form (boolean[] on the protocol
 * side, bytes in the runtime).
 */
import type { RuntimeTensor, TensorInfo } from '../../../ports/inference-runtime.js';
import { NON_TENSOR } from '../../../ports/inference-runtime.js';
import { fromOnnxType, type Tensor } from '../protocol/datatypes.js';
import type { MetadataTensor } from '../protocol/oip-types.js';

export function toRuntimeTensor(tensor: Tensor): RuntimeTensor {
  const dims = tensor.shape;
  switch (tensor.datatype) {
    case 'BOOL': return { type: 'bool', dims, data: Uint8Array.from(tensor.data, (b) => (b ? 1 : 0)) };
    case 'UINT8': return { type: 'uint8', dims, data: tensor.data };
    case 'UINT16': return { type: 'uint16', dims, data: tensor.data };
    case 'UINT32': return { type: 'uint32', dims, data: tensor.data };
    case 'UINT64': return { type: 'uint64', dims, data: tensor.data };
    case 'INT8': return { type: 'int8', dims, data: tensor.data };
    case 'INT16': return { type: 'int16', dims, data: tensor.data };
    case 'INT32': return { type: 'int32', dims, data: tensor.data };
    case 'INT64': return { type: 'int64', dims, data: tensor.data };
    case 'FP16': return { type: 'float16', dims, data: tensor.data };
    case 'FP32': return { type: 'float32', dims, data: tensor.data };
    case 'FP64': return { type: 'float64', dims, data: tensor.data };
    case 'BYTES': return { type: 'string', dims, data: tensor.data };
  }
}

export function fromRuntimeTensor(name: string, tensor: RuntimeTensor): Tensor {
  const shape = [...tensor.dims];
  switch (tensor.type) {
    case 'bool': return { name, datatype: 'BOOL', shape, data: Array.from(tensor.data, (b) => b !== 0) };
    case 'uint8': return { name, datatype: 'UINT8', shape, data: tensor.data };
    case 'uint16': return { name, datatype: 'UINT16', shape, data: tensor.data };
    case 'uint32': return { name, datatype: 'UINT32', shape, data: tensor.data };
    case 'uint64': return { name, datatype: 'UINT64', shape, data: tensor.data };
    case 'int8': return { name, datatype: 'INT8', shape, data: tensor.data };
    case 'int16': return { name, datatype: 'INT16', shape, data: tensor.data };
    case 'int32': return { name, datatype: 'INT32', shape, data: tensor.data };
    case 'int64': return { name, datatype: 'INT64', shape, data: tensor.data };
    case 'float16': return { name, datatype: 'FP16', shape, data: tensor.data };
    case 'float32': return { name, datatype: 'FP32', shape, data: tensor.data };
    case 'float64': return { name, datatype: 'FP64', shape, data: tensor.data };
    case 'string': return { name, datatype: 'BYTES', shape, data: [...tensor.data] };
  }
}

/**
 * A model input or output as OIP metadata describes it: variable dimensions as -1. Undefined for a
 * value OIP cannot carry (a sequence, a map, bfloat16...): such a model is refused at load.
 */
export function toMetadataTensor(info: TensorInfo): MetadataTensor | undefined {
  if (info.type === NON_TENSOR) return undefined;
  const datatype = fromOnnxType(info.type);
  if (datatype === undefined) return undefined;
  return { name: info.name, datatype, shape: info.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
}
