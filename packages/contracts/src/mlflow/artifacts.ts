import type { EmptyResponse, Int64 } from './common.js';

/** Metadata of one artifact file or directory (proto `FileInfo`). */
export interface FileInfo {
  /** Path relative to the listed root, `/`-separated. */
  path: string;
  /** Whether the path is a directory. */
  is_dir: boolean;
  /** Size in bytes; absent for directories. */
  file_size?: Int64;
}

/** GET artifacts/list (tracking API). */
export interface ListArtifactsRequest {
  /** ID of the run. */
  run_id: string;
  /** Deprecated alias of `run_id`. */
  run_uuid?: string;
  /** Directory to list, relative to the run's artifact root; the root when absent. */
  path?: string;
  /** Opaque token from a previous response's `next_page_token`. */
  page_token?: string;
}
export interface ListArtifactsResponse {
  /** The run's artifact root URI. */
  root_uri?: string;
  /** Direct children of `path`, with paths relative to the run's artifact root; omitted when none. */
  files?: FileInfo[];
  /** Token for the next page; absent when there are no more. */
  next_page_token?: string;
}

/**
 * GET `/api/2.0/mlflow-artifacts/artifacts?path=...` (artifact proxy, proto
 * `mlflow.artifacts.ListArtifacts`).
 */
export interface ProxyListArtifactsRequest {
  /** Directory to list, relative to the server's artifacts destination, e.g. `1/<run_id>/artifacts`. */
  path?: string;
}
export interface ProxyListArtifactsResponse {
  /** Direct children of `path`, with paths relative to `path` (names only); omitted when none. */
  files?: FileInfo[];
}

/** Upload-URL credential for one part of a multipart upload (proto `MultipartUploadCredential`). */
export interface MultipartUploadCredential {
  /** URL to PUT this part to; Capstan points it at its own part route, `mpu/part/<upload_id>/<n>/<path>`. */
  url: string;
  /** 1-based part number. */
  part_number: Int64;
  /** Headers the part upload must send. */
  headers?: Record<string, string>;
}

/** A part that was uploaded (proto `MultipartUploadPart`). */
export interface MultipartUploadPart {
  /** 1-based part number. */
  part_number: Int64;
  /** ETag the storage returned for the part. */
  etag: string;
  /** URL the part was uploaded to (needed by some stores, e.g. Azure). */
  url?: string;
}

/** POST `/api/2.0/mlflow-artifacts/mpu/create/<artifact_path>`. */
export interface CreateMultipartUploadRequest {
  /**
   * The client's local file path; only its base name is used: the object is stored as
   * `<artifact_path in the URL>/<base name>`.
   */
  path: string;
  /** Number of parts the client will upload. */
  num_parts: Int64;
}
export interface CreateMultipartUploadResponse {
  /** Store-assigned ID of the upload. */
  upload_id: string;
  /** One credential per part, in part order. */
  credentials: MultipartUploadCredential[];
}

/** POST `/api/2.0/mlflow-artifacts/mpu/complete/<artifact_path>`. */
export interface CompleteMultipartUploadRequest {
  /**
   * The client's local file path; only its base name is used: the object is stored as
   * `<artifact_path in the URL>/<base name>`.
   */
  path: string;
  /** ID returned by create. */
  upload_id: string;
  /** Every uploaded part. */
  parts: MultipartUploadPart[];
}
export type CompleteMultipartUploadResponse = EmptyResponse;

/** POST `/api/2.0/mlflow-artifacts/mpu/abort/<artifact_path>`. */
export interface AbortMultipartUploadRequest {
  /**
   * The client's local file path; only its base name is used: the object is stored as
   * `<artifact_path in the URL>/<base name>`.
   */
  path: string;
  /** ID returned by create. */
  upload_id: string;
}
export type AbortMultipartUploadResponse = EmptyResponse;
