/**
 * What every protocol surface (OIP REST, OIP gRPC, KServe v1, MLflow scoring) asks of serving.
 * Protocols decode their wire format into `Tensor`s, call `infer`, and encode the `Tensor`s that
 * come back; they never see deployments, versions, routing, batching or the runtime.
 */
import type { Tensor } from '../protocol/datatypes.js';
import type { MetadataTensor, Parameters } from '../protocol/oip-types.js';
import type { ModelSignature } from '../../registry/index.js';

/**
 * A failure with the status the Open Inference Protocol (Triton's mapping) gives it: 400 the
 * caller's input, 404 an unknown deployment or version, 415 a body in a media type the protocol
 * does not take (MLflow's scoring server), 429 a full queue (retry later), 503 not
 * ready, 504 a request that waited past its timeout, 500 the model itself failed.
 */
export class ServingError extends Error {
  constructor(
    readonly status: 400 | 404 | 415 | 429 | 500 | 503 | 504,
    message: string,
    /** For 429 and 503: when the caller may try again, in seconds (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ServingError';
  }
}

/** How a request ended: success, or the kind of failure its ServingError status says (a model error otherwise). */
export type ServingOutcome = 'ok' | 'bad_request' | 'not_found' | 'unsupported_media_type' | 'overloaded' | 'timeout' | 'not_ready' | 'error';

const OUTCOME_OF_STATUS: Readonly<Record<ServingError['status'], ServingOutcome>> = {
  400: 'bad_request',
  404: 'not_found',
  415: 'unsupported_media_type',
  429: 'overloaded',
  500: 'error',
  503: 'not_ready',
  504: 'timeout',
};

export function outcomeOf(error: unknown): ServingOutcome {
  return error instanceof ServingError ? OUTCOME_OF_STATUS[error.status] : 'error';
}

/** One version of a deployment as the protocols describe it. */
export interface ServedVersionView {
  /** The deployment's name: the protocol's model name. */
  readonly name: string;
  /** The registry version number, as a string. */
  readonly version: string;
  readonly ready: boolean;
  /** The ONNX graph's inputs and outputs (variable dimensions as -1), OIP datatypes. */
  readonly inputs: readonly MetadataTensor[];
  readonly outputs: readonly MetadataTensor[];
  /** The MLflow signature registered with the version, when it has one (tabular column names). */
  readonly signature?: ModelSignature;
}

/** A deployment: its live versions (the ones with traffic or shadow) and the default one. */
export interface DeploymentView {
  readonly name: string;
  readonly ready: boolean;
  /** Every version the deployment currently serves, in ascending version order. */
  readonly versions: readonly ServedVersionView[];
  /** The version a request without a version is most likely to reach (the stable one), for metadata. */
  readonly primary: ServedVersionView | undefined;
}

export interface InferenceCall {
  readonly deployment: string;
  /** A version named by the caller (path `/versions/{v}` or the version header); skips routing. */
  readonly version?: string;
  /**
   * The request's tensors, or for protocols whose requests carry no types (KServe v1, MLflow
   * scoring) a function that builds them for the version routing chose.
   */
  readonly inputs: readonly Tensor[] | ((view: ServedVersionView) => readonly Tensor[]);
  /** Only these outputs are computed and returned; all when absent. */
  readonly outputNames?: readonly string[];
  readonly parameters?: Parameters;
  /** The request id (x-request-id or generated): joins logged predictions to later labels. */
  readonly requestId: string;
  /** A value that keeps a caller on the same version when the deployment asks for stickiness. */
  readonly routingKey?: string;
  /** The request's headers (lower-case names), for a deployment's sticky header. */
  readonly header?: (name: string) => string | undefined;
  /** Which surface the call came through, for metrics: 'oip-rest' | 'oip-grpc' | 'kserve-v1' | 'mlflow'. */
  readonly protocol: string;
}

export interface InferenceResult {
  readonly deployment: string;
  /** The registry version that answered. */
  readonly version: string;
  readonly outputs: readonly Tensor[];
}

export interface InferenceEngine {
  /** The process is up (OIP server live). */
  live(): boolean;
  /** Every deployment this process serves is ready (OIP server ready). */
  ready(): boolean;
  /** Throws ServingError 404 for an unknown deployment. */
  deployment(name: string): DeploymentView;
  /** Throws ServingError 404 for an unknown deployment or a version it does not serve. */
  version(name: string, version?: string): ServedVersionView;
  /** Rejects with ServingError; any other rejection is an inference failure (500). */
  infer(call: InferenceCall): Promise<InferenceResult>;
}
