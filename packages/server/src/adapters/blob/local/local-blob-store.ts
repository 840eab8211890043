import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import {
  checkPartNumber,
  compareBlobPaths,
  normalizeBlobKey,
  orderMultipartParts,
  unquoteEtag,
} from '../../../core/blob-key.js';
import { CapstanError, invalidParameter, notFound } from '../../../core/errors.js';
import type { BlobEntry, BlobStore, MultipartPart } from '../../../ports/blob-store.js';

/** Names starting with this are the store's own bookkeeping: never listed, never accepted in keys. */
const RESERVED_PREFIX = '.capstan-';
const MULTIPART_DIR = `${RESERVED_PREFIX}multipart`;
const TEMP_PREFIX = `${RESERVED_PREFIX}tmp-`;
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MD5_HEX = /^[0-9a-f]{32}$/;

type Body = Readable | Buffer;

/**
 * A BlobStore over a folder. Every write lands in a temp file beside its target and is renamed into
 * place, so readers see the old object or the new one, never a torn one. Paths are checked with
 * realpath so a symlink inside the root cannot lead reads or writes outside it.
 */
export class LocalBlobStore implements BlobStore {
  /** The root folder, canonical (symlinks in the configured path resolved). */
  readonly root: string;

  constructor(root: string) {
    // Synchronous on purpose: the store is built once at startup and must be usable at once.
    mkdirSync(root, { recursive: true });
    this.root = realpathSync(root);
  }

  async put(key: string, body: Body): Promise<{ size: number }> {
    const path = this.objectPath(key);
    return { size: await this.writeAtomically(path, chunksOf(body)) };
  }

  async get(key: string): Promise<Readable> {
    const handle = await this.openFile(key);
    return handle.createReadStream();
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    const real = await this.realPathOf(this.keyPath(key));
    if (real === undefined) return undefined;
    const stats = await stat(real).catch(ignoreMissing);
    return stats?.isFile() === true ? { size: stats.size } : undefined;
  }

  async list(prefix: string): Promise<BlobEntry[]> {
    const folderKey = normalizeBlobKey(prefix);
    const real = await this.realPathOf(this.keyPath(folderKey));
    if (real === undefined) return [];
    let names: string[];
    try {
      names = await readdir(real);
    } catch (error) {
      if (isErrno(error, 'ENOTDIR')) return [];
      throw error;
    }
    const entries: BlobEntry[] = [];
    for (const name of names) {
      if (name.startsWith(RESERVED_PREFIX)) continue;
      const entry = await this.entryFor(join(real, name), folderKey === '' ? name : `${folderKey}/${name}`);
      if (entry !== undefined) entries.push(entry);
    }
    return entries.sort((a, b) => compareBlobPaths(a.path, b.path));
  }

  async delete(key: string): Promise<void> {
    const normalized = normalizeBlobKey(key);
    if (normalized === '') {
      const names = await readdir(this.root);
      const visible = names.filter((name) => !name.startsWith(RESERVED_PREFIX));
      await Promise.all(visible.map((name) => rm(join(this.root, name), { recursive: true, force: true })));
      return;
    }
    const path = this.keyPath(normalized);
    // Only the parent must resolve inside the root: the last segment is removed, never followed,
    // so deleting a symlink drops the link and leaves its target alone.
    await this.assertInsideRoot(dirname(path));
    const stats = await lstat(path).catch(ignoreMissing);
    if (stats === undefined) return;
    await rm(path, { recursive: stats.isDirectory(), force: true });
    await this.pruneEmptyFolders(dirname(path));
  }

  async createMultipartUpload(key: string): Promise<{ uploadId: string }> {
    const path = this.objectPath(key);
    await this.assertInsideRoot(path);
    const uploadId = randomUUID();
    const folder = this.uploadFolder(uploadId);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'key'), this.relativeKey(path));
    return { uploadId };
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Body): Promise<{ etag: string }> {
    checkPartNumber(partNumber);
    const folder = await this.openUpload(key, uploadId);
    const hash = createHash('md5');
    const temp = join(folder, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      await writeFile(temp, chunksOf(body, (chunk) => hash.update(chunk)), { flag: 'wx' });
      const etag = hash.digest('hex');
      // The ETag is part of the file name so completion can check it without re-reading the part,
      // and a re-uploaded part number leaves exactly one file behind.
      await rename(temp, join(folder, partFileName(partNumber, etag)));
      const stale = (await readdir(folder)).filter(
        (name) => name.startsWith(`${partNumber}-`) && name !== partFileName(partNumber, etag),
      );
      await Promise.all(stale.map((name) => rm(join(folder, name), { force: true })));
      return { etag };
    } catch (error) {
      await rm(temp, { force: true });
      if (isErrno(error, 'ENOENT')) throw noSuchUpload(uploadId);
      throw error;
    }
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: readonly MultipartPart[]): Promise<void> {
    const ordered = orderMultipartParts(parts);
    const folder = await this.openUpload(key, uploadId);
    const files: Array<{ partNumber: number; etag: string; path: string }> = [];
    for (const part of ordered) {
      const etag = unquoteEtag(part.etag).toLowerCase();
      const path = join(folder, partFileName(part.partNumber, etag));
      // The MD5 check also keeps a crafted ETag from naming a file outside the upload folder.
      if (!MD5_HEX.test(etag) || !(await isFile(path))) {
        throw invalidParameter(`Part ${part.partNumber} of upload ${uploadId} does not match ETag ${part.etag}.`);
      }
      files.push({ partNumber: part.partNumber, etag, path });
    }
    await this.writeAtomically(this.objectPath(key), concatenateVerified(files));
    await rm(folder, { recursive: true, force: true });
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    const folder = await this.openUpload(key, uploadId);
    await rm(folder, { recursive: true, force: true });
  }

  async close(): Promise<void> {}

  /** Validates a key and maps it under the root, without touching the disk. */
  private keyPath(key: string): string {
    const normalized = normalizeBlobKey(key);
    const segments = normalized === '' ? [] : normalized.split('/');
    const reserved = segments.find((segment) => segment.startsWith(RESERVED_PREFIX));
    if (reserved !== undefined) {
      throw invalidParameter(`Invalid path ${JSON.stringify(key)}: names starting with '${RESERVED_PREFIX}' are reserved.`);
    }
    return join(this.root, ...segments);
  }

  /** Like keyPath, for keys that must name an object rather than the root. */
  private objectPath(key: string): string {
    const path = this.keyPath(key);
    if (path === this.root) throw invalidParameter('A path naming a file is required.');
    return path;
  }

  private relativeKey(path: string): string {
    return path.slice(this.root.length + 1).split(sep).join('/');
  }

  private contains(real: string): boolean {
    return real === this.root || real.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  /** Canonical path of an existing file or folder; undefined when absent; throws when it escapes the root. */
  private async realPathOf(path: string): Promise<string | undefined> {
    const real = await realpath(path).catch(ignoreMissing);
    if (real !== undefined && !this.contains(real)) throw escapesRoot(this.relativeKey(path));
    return real;
  }

  /** Throws when the deepest existing ancestor of `path` (or `path` itself) resolves outside the root. */
  private async assertInsideRoot(path: string): Promise<void> {
    for (let current = path; current !== this.root; current = dirname(current)) {
      const real = await realpath(current).catch(ignoreMissing);
      if (real === undefined) continue;
      if (!this.contains(real)) throw escapesRoot(this.relativeKey(path));
      return;
    }
  }

  private async openFile(key: string): Promise<FileHandle> {
    const real = await this.realPathOf(this.keyPath(key));
    if (real === undefined) throw notFound(`No artifact at ${JSON.stringify(key)}.`);
    const handle = await open(real, 'r');
    // Checked on the open handle so a file swapped for a folder after realpath is still caught.
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw notFound(`No artifact at ${JSON.stringify(key)}: it is a folder.`);
    }
    return handle;
  }

  private async entryFor(real: string, path: string): Promise<BlobEntry | undefined> {
    const target = await realpath(real).catch(ignoreMissing);
    // A symlink leading out of the root is not part of the store, so it is not shown either.
    if (target === undefined || !this.contains(target)) return undefined;
    const stats = await stat(target).catch(ignoreMissing);
    if (stats?.isDirectory() === true) return { path, isDir: true };
    if (stats?.isFile() === true) return { path, isDir: false, size: stats.size };
    return undefined;
  }

  /** Writes chunks to a temp file beside `path`, flushes it, then renames it over `path`. */
  private async writeAtomically(path: string, chunks: AsyncIterable<Buffer>): Promise<number> {
    const folder = dirname(path);
    const { handle, temp } = await this.createTempFile(folder);
    let size = 0;
    try {
      for await (const chunk of chunks) {
        await writeFully(handle, chunk);
        size += chunk.length;
      }
      await handle.sync();
      await handle.close();
      await this.assertInsideRoot(folder);
      await rename(temp, path);
      return size;
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
      await this.pruneEmptyFolders(folder);
      if (isErrno(error, 'EISDIR') || isErrno(error, 'ENOTEMPTY')) {
        throw invalidParameter(`Cannot write ${JSON.stringify(this.relativeKey(path))}: a folder has that name.`);
      }
      throw error;
    }
  }

  private async createTempFile(folder: string): Promise<{ handle: FileHandle; temp: string }> {
    // A concurrent delete may prune the freshly made folder before the temp file exists in it;
    // nothing has been read from the body yet, so trying again is safe.
    for (let attempt = 1; ; attempt++) {
      await this.assertInsideRoot(folder);
      try {
        await mkdir(folder, { recursive: true });
      } catch (error) {
        if (isErrno(error, 'EEXIST') || isErrno(error, 'ENOTDIR')) {
          throw invalidParameter(`Cannot create folder ${JSON.stringify(this.relativeKey(folder))}: a file has that name.`);
        }
        throw error;
      }
      await this.assertInsideRoot(folder);
      const temp = join(folder, `${TEMP_PREFIX}${randomUUID()}`);
      try {
        return { handle: await open(temp, 'wx', 0o644), temp };
      } catch (error) {
        if (!isErrno(error, 'ENOENT') || attempt >= 3) throw error;
      }
    }
  }

  /** Removes folders left empty up to the root, so the local store, like S3, has no empty folders. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current !== this.root && this.contains(current); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  private uploadFolder(uploadId: string): string {
    return join(this.root, MULTIPART_DIR, uploadId);
  }

  /** The staging folder of an upload begun for this very key, or RESOURCE_DOES_NOT_EXIST. */
  private async openUpload(key: string, uploadId: string): Promise<string> {
    const expectedKey = this.relativeKey(this.objectPath(key));
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    const folder = this.uploadFolder(uploadId);
    const storedKey = await readFile(join(folder, 'key'), 'utf8').catch(ignoreMissing);
    if (storedKey !== expectedKey) throw noSuchUpload(uploadId);
    return folder;
  }
}

function partFileName(partNumber: number, etag: string): string {
  return `${partNumber}-${etag}.part`;
}

async function* chunksOf(body: Body, onChunk?: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(body)) {
    onChunk?.(body);
    yield body;
    return;
  }
  for await (const chunk of body as AsyncIterable<unknown>) {
    const buffer = toBuffer(chunk);
    onChunk?.(buffer);
    yield buffer;
  }
}

/** Streams the parts in order, re-hashing each so a part changed on disk is caught, not stored. */
async function* concatenateVerified(
  files: ReadonlyArray<{ partNumber: number; etag: string; path: string }>,
): AsyncGenerator<Buffer> {
  for (const file of files) {
    const hash = createHash('md5');
    const handle = await open(file.path, 'r');
    yield* chunksOf(handle.createReadStream(), (chunk) => hash.update(chunk));
    if (hash.digest('hex') !== file.etag) {
      throw new CapstanError('DATA_LOSS', `Part ${file.partNumber} changed on disk since it was uploaded.`);
    }
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`Blob bodies must yield bytes, got ${typeof chunk}.`);
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(ignoreMissing))?.isFile() === true;
}

/** For `.catch`: a path that vanished, or runs through a file, reads as absent. */
function ignoreMissing(error: unknown): undefined {
  if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
  throw error;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function escapesRoot(key: string): CapstanError {
  return invalidParameter(`Invalid path ${JSON.stringify(key)}: it resolves outside the artifact root.`);
}

function noSuchUpload(uploadId: string): CapstanError {
  return notFound(`No multipart upload with id ${JSON.stringify(uploadId)} for this path.`);
}
