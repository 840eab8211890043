import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  checkPartNumber,
  compareBlobPaths,
  normalizeBlobKey,
  orderMultipartParts,
  unquoteEtag,
} from '../../../core/blob-key.js';
import { CapstanError, invalidParameter, notFound } from '../../../core/errors.js';
import type { BlobEntry, BlobStore, MultipartPart } from '../../../ports/blob-store.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix the store lives under, without slashes at either end; '' for the bucket root. */
  prefix?: string;
  endpointUrl?: string;
  region: string;
  forcePathStyle: boolean;
  /** Extra SDK settings, e.g. static credentials in tests; otherwise the SDK's default chain applies. */
  clientConfig?: Omit<S3ClientConfig, 'endpoint' | 'region' | 'forcePathStyle'>;
  /** Keys per list page and per delete batch; S3 caps both at 1000. */
  pageSize?: number;
}

/** S3 rejects DeleteObjects with more keys than this, and never returns more per list page. */
const MAX_PAGE_SIZE = 1000;

type Body = Readable | Buffer;

/** A BlobStore over `s3://bucket/prefix` on AWS S3 or any S3-compatible service. */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly pageSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizeBlobKey(options.prefix ?? '');
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpointUrl === undefined
        ? {}
        : {
            endpoint: options.endpointUrl,
            // Since 3.729 the SDK sends CRC checksums (and aws-chunked bodies) by default; many
            // S3-compatible services store such bodies verbatim or reject them, so custom endpoints
            // only get checksums where the API demands them.
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }),
      ...options.clientConfig,
    });
  }

  async put(key: string, body: Body): Promise<{ size: number }> {
    const Key = this.objectKey(key);
    let size = 0;
    const counted = Buffer.isBuffer(body) ? body : Readable.from(countBytes(body, (bytes) => (size += bytes)));
    // Upload buffers one part at a time, so bodies of unknown length work; a failed upload aborts
    // its multipart upload and never becomes visible.
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key, Body: counted } });
    await this.call(`write ${key}`, () => upload.done());
    return { size: Buffer.isBuffer(body) ? body.length : size };
  }

  async get(key: string): Promise<Readable> {
    const Key = this.objectKeyOrUndefined(key);
    if (Key === undefined) throw notFound(`No artifact at ${JSON.stringify(key)}.`);
    const { Body } = await this.call(`read ${key}`, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key })));
    if (!(Body instanceof Readable)) {
      throw new CapstanError('INTERNAL_ERROR', `S3 returned no readable body for ${JSON.stringify(key)}.`);
    }
    return Body;
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    const Key = this.objectKeyOrUndefined(key);
    if (Key === undefined) return undefined;
    try {
      const head = await this.call(`stat ${key}`, () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key })));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof CapstanError && error.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<BlobEntry[]> {
    const folder = this.folderPrefix(normalizeBlobKey(prefix));
    const entries: BlobEntry[] = [];
    for await (const page of this.pages(folder, '/')) {
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(folder.length, -1);
        if (name) entries.push({ path: this.storePath(folder + name), isDir: true });
      }
      for (const object of page.Contents ?? []) {
        // Skips zero-byte "folder marker" objects (`dir/`) that consoles and other tools create.
        if (object.Key === undefined || object.Key.length === folder.length) continue;
        entries.push({ path: this.storePath(object.Key), isDir: false, size: object.Size ?? 0 });
      }
    }
    return entries.sort((a, b) => compareBlobPaths(a.path, b.path));
  }

  async delete(key: string): Promise<void> {
    const normalized = normalizeBlobKey(key);
    if (normalized !== '') {
      const Key = this.objectKey(normalized);
      await this.call(`delete ${key}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })));
    }
    for await (const page of this.pages(this.folderPrefix(normalized))) {
      const Objects = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ Key: object.Key }]));
      if (Objects.length === 0) continue;
      const result = await this.call(`delete ${key}`, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } })),
      );
      const failure = result.Errors?.[0];
      if (failure !== undefined) {
        throw new CapstanError(
          'INTERNAL_ERROR',
          `Could not delete ${failure.Key ?? 'an object'} under ${JSON.stringify(key)}: ${failure.Code ?? ''} ${failure.Message ?? ''}`.trim(),
        );
      }
    }
  }

  async createMultipartUpload(key: string): Promise<{ uploadId: string }> {
    const Key = this.objectKey(key);
    const { UploadId } = await this.call(`start an upload of ${key}`, () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key })),
    );
    if (!UploadId) throw new CapstanError('INTERNAL_ERROR', 'S3 returned no upload id.');
    return { uploadId: UploadId };
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Body): Promise<{ etag: string }> {
    checkPartNumber(partNumber);
    const Key = this.objectKey(key);
    const send = (Body: Buffer | Readable, ContentLength: number) =>
      this.call(`upload part ${partNumber} of ${key}`, () =>
        this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber: partNumber, Body, ContentLength }),
        ),
      );
    const { ETag } = Buffer.isBuffer(body) ? await send(body, body.length) : await withSpooledFile(body, send);
    if (!ETag) throw new CapstanError('INTERNAL_ERROR', `S3 returned no ETag for part ${partNumber}.`);
    return { etag: unquoteEtag(ETag) };
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: readonly MultipartPart[]): Promise<void> {
    const Parts = orderMultipartParts(parts).map((part) => ({
      PartNumber: part.partNumber,
      ETag: `"${unquoteEtag(part.etag)}"`,
    }));
    const Key = this.objectKey(key);
    await this.call(`complete the upload of ${key}`, () =>
      this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId, MultipartUpload: { Parts } }),
      ),
    );
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(`abort the upload of ${key}`, () =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId })),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** The S3 key of an object; the store root itself is not one. */
  private objectKey(key: string): string {
    const Key = this.objectKeyOrUndefined(key);
    if (Key === undefined) throw invalidParameter('A path naming a file is required.');
    return Key;
  }

  private objectKeyOrUndefined(key: string): string | undefined {
    const normalized = normalizeBlobKey(key);
    if (normalized === '') return undefined;
    return this.prefix === '' ? normalized : `${this.prefix}/${normalized}`;
  }

  /** `prefix/key/`, the S3 prefix of everything under a folder ('' for the bucket root). */
  private folderPrefix(normalizedKey: string): string {
    const full = [this.prefix, normalizedKey].filter((part) => part !== '').join('/');
    return full === '' ? '' : `${full}/`;
  }

  private storePath(s3Key: string): string {
    return this.prefix === '' ? s3Key : s3Key.slice(this.prefix.length + 1);
  }

  private async *pages(Prefix: string, Delimiter?: string): AsyncGenerator<ListObjectsV2CommandOutput> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call(`list ${Prefix || 'the bucket'}`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: Prefix === '' ? undefined : Prefix,
            Delimiter,
            ContinuationToken,
            MaxKeys: this.pageSize,
          }),
        ),
      );
      yield page;
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateS3Error(error, action, this.bucket);
    }
  }
}

/** Maps S3's error names onto Capstan's codes; anything unexpected passes through as is. */
function translateS3Error(error: unknown, action: string, bucket: string): unknown {
  if (!(error instanceof S3ServiceException)) return error;
  const detail = `Could not ${action}: ${error.message}`;
  switch (error.name) {
    case 'NoSuchKey':
    case 'NotFound':
      return new CapstanError('RESOURCE_DOES_NOT_EXIST', detail, { cause: error });
    case 'NoSuchUpload':
      return new CapstanError('RESOURCE_DOES_NOT_EXIST', `Could not ${action}: no such multipart upload.`, { cause: error });
    case 'InvalidPart':
    case 'InvalidPartOrder':
    case 'EntityTooSmall':
      return new CapstanError('INVALID_PARAMETER_VALUE', detail, { cause: error });
    case 'NoSuchBucket':
      // A 404 too, but a misconfigured server rather than a missing artifact.
      return new CapstanError('INTERNAL_ERROR', `Bucket ${JSON.stringify(bucket)} does not exist.`, { cause: error });
  }
  if (error.$metadata.httpStatusCode === 404) {
    return new CapstanError('RESOURCE_DOES_NOT_EXIST', detail, { cause: error });
  }
  return error;
}

async function* countBytes(body: Readable, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of body as AsyncIterable<unknown>) {
    const buffer = toBuffer(chunk);
    onBytes(buffer.length);
    yield buffer;
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`Blob bodies must yield bytes, got ${typeof chunk}.`);
}

/**
 * UploadPart needs a Content-Length up front and a part can be gigabytes, so a stream is spooled
 * to a temp file rather than into memory.
 */
async function withSpooledFile<T>(body: Readable, send: (body: Readable, length: number) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'capstan-part-'));
  try {
    const path = join(folder, 'part');
    let length = 0;
    await writeFile(path, countBytes(body, (bytes) => (length += bytes)));
    return await send(createReadStream(path), length);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
