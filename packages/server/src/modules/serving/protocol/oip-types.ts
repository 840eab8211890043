/**
 * Wire shapes of the Open Inference Protocol (KServe v2 / Triton) over HTTP/REST, as the client
 * sends and receives them. These describe JSON before validation: the decoder turns an `unknown`
 * body into the validated forms in decode-request.ts, so nothing here is trusted on its own.
 */

/** A parameter value is a string, a number or a boolean (the spec's `$parameter`). */
export type ParameterValue = string | number | boolean;
export type Parameters = Record<string, ParameterValue>;

/** A JSON tensor element; the spec allows flat or nested (row-major) arrays of these. */
export type JsonTensorElement = number | string | boolean;
export type JsonTensorData = ReadonlyArray<JsonTensorElement | JsonTensorData>;

export interface RequestInput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Parameters;
  /** Absent when the binary tensor data extension carries the tensor (`binary_data_size`). */
  data?: JsonTensorData;
}

export interface RequestOutput {
  name: string;
  parameters?: Parameters;
}

export interface InferenceRequest {
  id?: string;
  parameters?: Parameters;
  inputs: RequestInput[];
  outputs?: RequestOutput[];
}

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Parameters;
  /** Always flat row-major; absent when the tensor follows the JSON header as binary data. */
  data?: JsonTensorElement[];
}

export interface InferenceResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Parameters;
  outputs: ResponseOutput[];
}

/** `GET /v2`: what the server is and which extensions (e.g. `binary_tensor_data`) it speaks. */
export interface ServerMetadataResponse {
  name: string;
  version: string;
  extensions: string[];
}

/** One input or output of a model; variable dimensions are -1. */
export interface MetadataTensor {
  name: string;
  datatype: string;
  shape: number[];
}

/** `GET /v2/models/{name}[/versions/{version}]`. */
export interface ModelMetadataResponse {
  name: string;
  versions?: string[];
  platform: string;
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
}

/** Every failed OIP call answers with this body (typically with status 400). */
export interface OipErrorResponse {
  error: string;
}
