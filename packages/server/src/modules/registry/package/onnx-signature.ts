import { invalidParameter } from '../../../core/errors.js';
import type { OnnxExternalDataFile, OnnxModelMetadata, OnnxModelRuntime, OnnxValueMetadata } from '../../../ports/model-runtime.js';
import { NON_TENSOR_DTYPE, type TensorSpec } from './signature.js';

/**
 * A model's graph signature as onnxruntime sees it, and the load check.
 *
 * onnxruntime-node 1.30 reports `inputMetadata`/`outputMetadata` (name, element type, shape with
 * symbolic dimensions as strings) on every session, so the signature comes from the runtime that
 * will serve the model rather than from a second reading of the protobuf. It also leaves out graph
 * inputs that are initializers (old exporters listed the weights as inputs), as serving does.
 *
 * The runtime is a port (ports/model-runtime.ts); adapters/onnx implements it with onnxruntime-node.
 */
export type { OnnxExternalDataFile, OnnxModelMetadata, OnnxModelRuntime, OnnxValueMetadata } from '../../../ports/model-runtime.js';

export interface OnnxGraphSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/**
 * onnxruntime's tensor type names (`Tensor.Type`) -> the NumPy dtype names MLflow writes. They
 * are NumPy's names already except `string`. ONNX elem_type -> onnxruntime -> NumPy:
 *   FLOAT 1 float32, UINT8 2 uint8, INT8 3 int8, UINT16 4 uint16, INT16 5 int16, INT32 6 int32,
 *   INT64 7 int64, STRING 8 string -> str, BOOL 9 bool, FLOAT16 10 float16, DOUBLE 11 float64,
 *   UINT32 12 uint32, UINT64 13 uint64, UINT4 21 uint4, INT4 22 int4 (NumPy has no 4-bit types;
 *   the names are kept). onnxruntime-node refuses to load a model whose inputs or outputs are
 *   COMPLEX64/128, BFLOAT16 or FLOAT8 ("Unsupported data type"), so those never get here.
 */
const NUMPY_DTYPE: Readonly<Record<string, string>> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  bool: 'bool',
  string: 'str',
  int4: 'int4',
  uint4: 'uint4',
};

function toTensorSpec(value: OnnxValueMetadata): TensorSpec {
  // Sequences and maps (e.g. skl2onnx's ZipMap probabilities) have no MLflow tensor form.
  if (!value.isTensor) return { name: value.name, dtype: NON_TENSOR_DTYPE, shape: [] };
  return {
    name: value.name,
    dtype: NUMPY_DTYPE[value.type] ?? value.type,
    // A symbolic dimension ("batch", or "" for an unnamed unknown one) can take any size.
    shape: value.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

/** The graph signature from a session's metadata. */
export function graphSignatureFromMetadata(metadata: OnnxModelMetadata): OnnxGraphSignature {
  return { inputs: metadata.inputs.map(toTensorSpec), outputs: metadata.outputs.map(toTensorSpec) };
}

/**
 * Loads the model in onnxruntime and returns its graph signature; a model that does not load is
 * rejected with INVALID_PARAMETER_VALUE, so this is the load check as well.
 */
export async function signatureFromOnnx(
  bytes: Uint8Array,
  runtime: OnnxModelRuntime,
  externalData: readonly OnnxExternalDataFile[] = [],
): Promise<OnnxGraphSignature> {
  let metadata: OnnxModelMetadata;
  try {
    metadata = await runtime.describe(bytes, externalData);
  } catch (err) {
    throw invalidParameter(`The model file does not load in onnxruntime: ${err instanceof Error ? err.message : String(err)}`);
  }
  return graphSignatureFromMetadata(metadata);
}

/** Creating an inference session from the bytes must succeed. */
export async function loadCheck(
  bytes: Uint8Array,
  runtime: OnnxModelRuntime,
  externalData: readonly OnnxExternalDataFile[] = [],
): Promise<void> {
  await signatureFromOnnx(bytes, runtime, externalData);
}
