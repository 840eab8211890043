/**
 * What a KServe v1 or MLflow scoring request carries once its wire format is read, before it meets
 * a model: the decoders produce it without knowing the model, `toModelInputs` maps it onto one.
 */

/** One unnamed tensor as nested JSON arrays: `instances`/`inputs` as a plain list of rows. */
export interface TensorPayload {
  readonly kind: 'tensor';
  readonly data: readonly unknown[];
}

/** Arrays by name: `inputs` (or MLflow `instances`) as a dict. Values are checked against the model. */
export interface NamedTensorsPayload {
  readonly kind: 'named-tensors';
  readonly tensors: ReadonlyMap<string, unknown>;
}

/**
 * A table: records, dataframe_split, CSV or a list of row objects. Every column holds exactly
 * `rowCount` cells, in the order the columns first appeared; a cell a row did not give is null.
 */
export interface ColumnsPayload {
  readonly kind: 'columns';
  readonly columns: ReadonlyMap<string, readonly unknown[]>;
  readonly rowCount: number;
  /**
   * The cells are CSV text (string, or null for an empty field): numbers and booleans are read
   * from them for the input they feed, as pandas does when MLflow passes it the signature's dtypes.
   */
  readonly textCells: boolean;
}

export type ScoringPayload = TensorPayload | NamedTensorsPayload | ColumnsPayload;
