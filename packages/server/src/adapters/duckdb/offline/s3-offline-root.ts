/**
 * An offline root in S3 (any BlobStore, in fact): objects are listed through the blob store and
 * downloaded into a local cache that DuckDB reads. A cached copy is named by a hash of the root and
 * key plus the object's size, so an object replaced with different content of another size is
 * fetched again. (A rewrite of the same size is not detected: data files under the root are
 * expected to be added, not edited in place, which is how appends work.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobEntry, BlobStore } from '../../../ports/blob-store.js';
import { OfflineStoreError } from '../../../ports/offline-store.js';
import { compareNames, isDataFile, relativeSourcePath, type OfflineFileFormat, type OfflineRoot } from './offline-root.js';

/** Downloads at once: enough to hide request latency, few enough not to flood the store. */
const PARALLEL_DOWNLOADS = 4;

interface RemoteFile {
  key: string;
  size: number;
}

export class S3OfflineRoot implements OfflineRoot {
  constructor(
    private readonly uri: string,
    private readonly blobs: BlobStore,
    private readonly cacheDir: string,
    private readonly ownsBlobs: boolean,
  ) {}

  async files(path: string, format: OfflineFileFormat): Promise<string[]> {
    const key = relativeSourcePath(path);
    const object = key === '' ? undefined : await this.blobs.stat(key);
    let remote: RemoteFile[];
    if (object !== undefined) remote = [{ key, size: object.size }];
    else {
      const entries = await this.blobs.list(key);
      // S3 has no empty folders: a prefix with no object at all is a path that does not exist.
      if (entries.length === 0 && key !== '') {
        throw new OfflineStoreError(`${format} source ${path}: no such file or folder under the offline root ${this.uri}`);
      }
      remote = dataFiles(entries, format);
    }
    await mkdir(this.cacheDir, { recursive: true });
    const cached = new Set(await readdir(this.cacheDir));
    const local: string[] = [];
    for (let start = 0; start < remote.length; start += PARALLEL_DOWNLOADS) {
      const slice = remote.slice(start, start + PARALLEL_DOWNLOADS);
      local.push(...(await Promise.all(slice.map((file) => this.cachedCopy(file, cached)))));
    }
    return local;
  }

  async folderNames(path: string, format: OfflineFileFormat): Promise<string[]> {
    const key = relativeSourcePath(path);
    if (key !== '' && (await this.blobs.stat(key)) !== undefined) {
      throw new OfflineStoreError(`${format} source ${path} is a file; rows can only be appended to a folder source`);
    }
    return dataFiles(await this.blobs.list(key), format).map((file) => file.key.slice(file.key.lastIndexOf('/') + 1));
  }

  async publish(folder: string, name: string, write: (localFile: string) => Promise<void>): Promise<void> {
    const prefix = relativeSourcePath(folder);
    const key = prefix === '' ? name : `${prefix}/${name}`;
    await mkdir(this.cacheDir, { recursive: true });
    const temporary = join(this.cacheDir, `.upload-${randomBytes(8).toString('hex')}`);
    try {
      await write(temporary);
      const { size } = await stat(temporary);
      // One PUT: S3 makes an object visible whole or not at all.
      await this.blobs.put(key, createReadStream(temporary));
      // Keep the uploaded bytes as the cached copy, so the next read needs no download.
      await rename(temporary, join(this.cacheDir, this.cacheName({ key, size })));
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async close(): Promise<void> {
    if (this.ownsBlobs) await this.blobs.close();
  }

  private cacheStem(key: string): string {
    return createHash('sha256').update(`${this.uri}\0${key}`).digest('hex').slice(0, 40);
  }

  private cacheName(file: RemoteFile): string {
    return `${this.cacheStem(file.key)}-${file.size}${extname(file.key)}`;
  }

  private async cachedCopy(file: RemoteFile, cached: ReadonlySet<string>): Promise<string> {
    const name = this.cacheName(file);
    const local = join(this.cacheDir, name);
    if (cached.has(name)) return local;
    const temporary = join(this.cacheDir, `.download-${randomBytes(8).toString('hex')}`);
    try {
      await pipeline(await this.blobs.get(file.key), createWriteStream(temporary));
      await rename(temporary, local);
    } finally {
      await rm(temporary, { force: true });
    }
    // Copies of earlier versions of this object (other sizes) are stale now.
    const stem = `${this.cacheStem(file.key)}-`;
    await Promise.all([...cached].filter((n) => n.startsWith(stem) && n !== name).map((n) => rm(join(this.cacheDir, n), { force: true })));
    return local;
  }
}

function dataFiles(entries: readonly BlobEntry[], format: OfflineFileFormat): RemoteFile[] {
  return entries
    .filter((e) => !e.isDir && isDataFile(e.path.slice(e.path.lastIndexOf('/') + 1), format))
    .sort((a, b) => compareNames(a.path, b.path))
    .map((e) => ({ key: e.path, size: e.size ?? 0 }));
}
