/**
 * Loading a model in its runtime, for the registry's checks (and later serving). `OnnxValueMetadata`
 * has the shape of onnxruntime-common's `InferenceSession.ValueMetadata`, so an adapter hands the
 * session's metadata through as it is.
 */
export type OnnxValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | { readonly name: string; readonly isTensor: true; readonly type: string; readonly shape: ReadonlyArray<number | string> };

export interface OnnxModelMetadata {
  readonly inputs: readonly OnnxValueMetadata[];
  readonly outputs: readonly OnnxValueMetadata[];
}

/** A file the model's external-data entries point to, by its path relative to the model file. */
export interface OnnxExternalDataFile {
  readonly path: string;
  readonly data: Uint8Array;
}

export interface OnnxModelRuntime {
  /**
   * Creates an inference session from the model (and the external-data files it names), reads its
   * input and output metadata, and releases it. Rejects when the runtime cannot load the model.
   * An implementation must not let the model reach files other than the ones given.
   */
  describe(model: Uint8Array, externalData: readonly OnnxExternalDataFile[]): Promise<OnnxModelMetadata>;
}
