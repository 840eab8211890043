/** Chooses the offline root's implementation from its URI. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobStore } from '../../../ports/blob-store.js';
import { OfflineStoreError } from '../../../ports/offline-store.js';
import { createBlobStore, type S3ConnectionOptions } from '../../blob/create-blob-store.js';
import { LocalOfflineRoot } from './local-offline-root.js';
import type { OfflineRoot } from './offline-root.js';
import { S3OfflineRoot } from './s3-offline-root.js';

export interface OfflineRootOptions {
  /** A folder path (or file:// URL), or s3://bucket/prefix. */
  root: string;
  /** For an s3:// root: the blob store rooted at it (otherwise one is made from `s3`). */
  blobs?: BlobStore;
  /** For an s3:// root without `blobs`. */
  s3?: S3ConnectionOptions;
  /** Where an s3:// root's objects are cached; default a folder under the OS temp dir. */
  cacheDir?: string;
}

export function openOfflineRoot(options: OfflineRootOptions): OfflineRoot {
  const { root } = options;
  if (root.startsWith('s3://')) {
    const cacheDir = options.cacheDir ?? join(tmpdir(), 'capstan-offline-cache');
    if (options.blobs !== undefined) return new S3OfflineRoot(root, options.blobs, cacheDir, false);
    if (options.s3 === undefined) throw new OfflineStoreError(`The offline root ${root} needs a blob store or S3 connection options.`);
    return new S3OfflineRoot(root, createBlobStore(root, options.s3), cacheDir, true);
  }
  if (root.startsWith('file://')) return new LocalOfflineRoot(fileURLToPath(root));
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(root) || root.trim() === '') {
    throw new OfflineStoreError(`Unsupported offline root ${JSON.stringify(root)}: use a folder path, file:///dir or s3://bucket/prefix.`);
  }
  return new LocalOfflineRoot(resolve(root));
}

