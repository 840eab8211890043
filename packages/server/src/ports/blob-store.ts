import type { Readable } from 'node:stream';

/**
 * Where artifacts and other large files live. Keys are `/`-separated relative paths
 * (`1/abc123/artifacts/model/model.onnx`); adapters reject keys that would escape their root.
 * Implementations: adapters/blob/local (a folder), adapters/blob/s3 (any S3-compatible store).
 */
export interface BlobStore {
  /** Writes (or replaces) one object, streaming. Returns the number of bytes stored. */
  put(key: string, body: Readable | Buffer): Promise<{ size: number }>;
  /** Streams one object. Throws CapstanError RESOURCE_DOES_NOT_EXIST when it is absent. */
  get(key: string): Promise<Readable>;
  /** Size of one object, or undefined when no object has this exact key. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Immediate children of a folder-like prefix ('' is the root), sorted by path; empty when absent. */
  list(prefix: string): Promise<BlobEntry[]>;
  /** Deletes one object, or every object under the prefix when it names a folder. Absent is not an error. */
  delete(key: string): Promise<void>;
  createMultipartUpload(key: string): Promise<{ uploadId: string }>;
  /** Stores one part (numbered from 1); returns its ETag, which completion must echo. */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Readable | Buffer): Promise<{ etag: string }>;
  completeMultipartUpload(key: string, uploadId: string, parts: readonly MultipartPart[]): Promise<void>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  close(): Promise<void>;
}

export interface BlobEntry {
  /** Path relative to the store root, e.g. `1/abc/artifacts/model/MLmodel`. */
  path: string;
  isDir: boolean;
  /** Bytes; present for files. */
  size?: number;
}

export interface MultipartPart {
  partNumber: number;
  etag: string;
}
