import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeBlobKey } from '../../core/blob-key.js';
import { CapstanError, invalidParameter } from '../../core/errors.js';
import type { BlobStore } from '../../ports/blob-store.js';
import { LocalBlobStore } from './local/local-blob-store.js';
import { S3BlobStore } from './s3/s3-blob-store.js';

export interface S3ConnectionOptions {
  endpointUrl?: string;
  region: string;
  forcePathStyle: boolean;
}

const SUPPORTED = 'use file:///absolute/dir, a plain folder path, or s3://bucket/optional/prefix';
/** `scheme:` at the start; one letter is a Windows drive (`C:\dir`), not a scheme. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;
const S3_URI = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/;
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Builds the artifact store named by `artifactsDestination`. */
export function createBlobStore(uri: string, s3Options: S3ConnectionOptions): BlobStore {
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (uri.trim() === '') throw invalidParameter(`The artifact store location is empty: ${SUPPORTED}.`);
    return new LocalBlobStore(resolve(uri));
  }
  if (scheme === 'file') return new LocalBlobStore(filePath(uri));
  if (scheme === 's3') return new S3BlobStore({ ...parseS3Uri(uri), ...s3Options });
  throw invalidParameter(`Unsupported artifact store ${JSON.stringify(uri)}: ${SUPPORTED}.`);
}

function filePath(uri: string): string {
  // `file:relative` would parse as `file:///relative`, silently moving the store to the filesystem root.
  if (!uri.startsWith('file://')) {
    throw invalidParameter(`Unsupported artifact store ${JSON.stringify(uri)}: ${SUPPORTED}.`);
  }
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', `Invalid file URI ${JSON.stringify(uri)}: ${SUPPORTED}.`, {
      cause: error,
    });
  }
}

function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = S3_URI.exec(uri);
  const bucket = match?.[1];
  if (match === null || bucket === undefined || !BUCKET.test(bucket)) {
    throw invalidParameter(`Invalid S3 location ${JSON.stringify(uri)}: ${SUPPORTED}.`);
  }
  return { bucket, prefix: normalizeBlobKey(match[2] ?? '') };
}
