/**
 * Running a model for serving: a session that stays open across requests. `model-runtime.ts` only
 * describes a model (load, read the signature, release); this port keeps the session and runs it.
 * It names no onnxruntime type so that modules can use it without importing the driver.
 */

/**
 * The element type name of a tensor (onnxruntime's names) and the array that holds its elements,
 * row-major. `bool` elements are bytes (0 or 1) and `float16` elements are raw IEEE half bits,
 * because that is how the runtime hands them over without a conversion pass.
 */
export interface RuntimeTensorDataMap {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: readonly string[];
}

export type RuntimeTensorType = keyof RuntimeTensorDataMap;

/** A tensor whose `data` type follows its `type`; `data.length` is the product of `dims`. */
export type RuntimeTensorOf<T extends RuntimeTensorType> = {
  readonly type: T;
  readonly dims: readonly number[];
  readonly data: RuntimeTensorDataMap[T];
};

/** Discriminated on `type`, so a `switch (t.type)` narrows `data` to its array type. */
export type RuntimeTensor = { [T in RuntimeTensorType]: RuntimeTensorOf<T> }[RuntimeTensorType];

export const RUNTIME_TENSOR_TYPES: readonly RuntimeTensorType[] = [
  'float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool', 'string',
];

export function isRuntimeTensorType(type: string): type is RuntimeTensorType {
  return (RUNTIME_TENSOR_TYPES as readonly string[]).includes(type);
}

/**
 * An input or output as the model declares it. `shape` holds a number for a fixed dimension and a
 * name (or -1) for a variable one. A value that is not a tensor (a sequence or a map) has
 * `type: 'non-tensor'` and an empty shape: the runtime reports no more than that.
 */
export interface TensorInfo {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

export const NON_TENSOR = 'non-tensor';

export interface SessionOptions {
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  readonly executionMode?: 'sequential' | 'parallel';
}

/** A file the model's external-data entries point to, by its path relative to the model file. */
export interface ExternalDataFile {
  readonly path: string;
  readonly data: Uint8Array;
}

export interface ModelSource {
  readonly bytes: Uint8Array;
  readonly externalData: readonly ExternalDataFile[];
}

export interface LoadedModel {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /**
   * Runs the model. Without `outputNames` every output is computed. The returned tensors may share
   * memory with the runtime's result buffers; callers treat them as read-only. Rejects after
   * `release()`.
   */
  run(feeds: Readonly<Record<string, RuntimeTensor>>, outputNames?: readonly string[]): Promise<Record<string, RuntimeTensor>>;
  /** Frees the session. Calling it again does nothing. */
  release(): Promise<void>;
}

export interface InferenceRuntime {
  /**
   * Opens a session on the model. Rejects when the runtime cannot load it. An implementation must
   * not let the model reach files other than the external-data files given.
   */
  load(model: ModelSource, options: SessionOptions): Promise<LoadedModel>;
}
