import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver, {
  type S3rverListing,
  type S3rverMiddleware,
  type S3rverObject,
  type S3rverPart,
  type S3rverStore,
} from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

/** s3rver's built-in account; it rejects any other access key. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const S3_TEST_REGION = 'us-east-1';

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`; use it with path-style addressing. */
  endpointUrl: string;
  /** A bucket that exists when the server starts. */
  bucket: string;
  stop(): Promise<void>;
}

/**
 * Starts an in-process s3rver on an ephemeral port over a fresh temp folder.
 *
 * s3rver 3.7 departs from S3 where the adapters depend on it: it skips several multipart checks,
 * loses some common prefixes, and cannot paginate ListObjectsV2 on Node 17+ (see the hooks below).
 * The harness fills those gaps so tests exercise S3's behaviour, not s3rver's.
 */
export async function startS3TestServer(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'capstan-s3rver-'));
  const bucket = 'capstan-test';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  // Just before s3rver's router, its last middleware, so the bodies they set still go through
  // s3rver's XML encoder and its errors through s3rver's error renderer.
  const hooks = [requireKnownUpload(server.store), serveListObjectsV2(server.store)];
  server.middleware.splice(server.middleware.length - 1, 0, ...hooks);
  emulateMultipartCompletion(server.store);
  try {
    const { port } = await server.run();
    return {
      endpointUrl: `http://127.0.0.1:${port}`,
      bucket,
      stop: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Out of the box s3rver accepts parts and completions for upload ids it never issued, completes
 * uploads whatever ETags are sent, and answers AbortMultipartUpload with 405. Real S3 answers
 * NoSuchUpload, InvalidPart / InvalidPartOrder, and aborts. The hooks rely on s3rver's on-disk
 * layout: `<bucket>/._S3rver_uploads/<uploadId>/` holding `key` and `<partNumber>.md5`.
 */
function emulateMultipartCompletion(store: S3rverStore): void {
  const complete = store.putObjectMultipart.bind(store);
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    await checkCompletedParts(uploadFolder(store, bucket, uploadId), parts);
    return complete(bucket, uploadId, parts);
  };
}

/** Rejects UploadPart / Complete / Abort for an unknown upload or another key, and performs Abort. */
function requireKnownUpload(store: S3rverStore): S3rverMiddleware {
  return async (ctx, next) => {
    const uploadId = ctx.query['uploadId'];
    if (typeof uploadId !== 'string' || !['PUT', 'POST', 'DELETE'].includes(ctx.method)) return next();

    const [bucket = '', ...keySegments] = ctx.path.slice(1).split('/');
    const key = decodeURIComponent(keySegments.join('/'));
    const folder = uploadFolder(store, bucket, uploadId);
    const issuedFor = /^[0-9a-f]+$/.test(uploadId)
      ? await readFile(join(folder, 'key'), 'utf8').catch(() => undefined)
      : undefined;
    if (issuedFor !== key) {
      // Drain the unread part body so the client sees the error rather than a reset connection.
      ctx.req.resume();
      throw new S3Error(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { UploadId: uploadId },
      );
    }
    if (ctx.method === 'DELETE') {
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  };
}

/**
 * Answers ListObjectsV2 itself, from s3rver's flat listing. s3rver's own handler encrypts
 * continuation tokens with DES, which OpenSSL 3 refuses (every truncated page fails with a 500);
 * finds a common prefix only through an object stored directly in it, so `a/` goes missing when it
 * holds nothing but deeper folders; and counts only objects against MaxKeys.
 */
function serveListObjectsV2(store: S3rverStore): S3rverMiddleware {
  return async (ctx, next) => {
    const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
    if (ctx.method !== 'GET' || ctx.query['list-type'] !== '2' || bucket === undefined) return next();
    if ((await store.getBucket(bucket)) === null) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    }
    const param = (name: string): string | undefined => {
      const value = ctx.query[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const token = param('continuation-token');
    const prefix = param('prefix') ?? '';
    const delimiter = param('delimiter');
    const maxKeys = Math.min(Number(param('max-keys') ?? 1000), 1000);
    const startAfter = token === undefined ? (param('start-after') ?? '') : Buffer.from(token, 'base64url').toString('utf8');

    const page = await listPage(store, bucket, { prefix, delimiter, startAfter, maxKeys });
    const last = [page.objects.at(-1)?.key, page.commonPrefixes.at(-1)].filter((key) => key !== undefined).sort(compareKeys).at(-1);
    ctx.body = {
      ListBucketResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Name: bucket,
        Prefix: prefix,
        StartAfter: token === undefined ? param('start-after') : undefined,
        ContinuationToken: token,
        NextContinuationToken:
          page.isTruncated && last !== undefined ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
        KeyCount: page.objects.length + page.commonPrefixes.length,
        MaxKeys: maxKeys,
        Delimiter: delimiter,
        IsTruncated: page.isTruncated,
        Contents: page.objects.map((object) => ({
          Key: object.key,
          LastModified: object.lastModifiedDate.toISOString(),
          ETag: object.metadata['etag'],
          Size: object.size,
          StorageClass: 'STANDARD',
        })),
        CommonPrefixes: page.commonPrefixes.map((commonPrefix) => ({ Prefix: commonPrefix })),
      },
    };
  };
}

/** One page of a listing, grouped by delimiter the way S3 does. */
async function listPage(
  store: S3rverStore,
  bucket: string,
  options: { prefix: string; delimiter: string | undefined; startAfter: string; maxKeys: number },
): Promise<S3rverListing> {
  const { prefix, delimiter, startAfter, maxKeys } = options;
  const groupOf = (key: string): string | undefined => {
    if (delimiter === undefined) return undefined;
    const rest = key.slice(prefix.length);
    const at = rest.indexOf(delimiter);
    return at === -1 ? undefined : prefix + rest.slice(0, at + delimiter.length);
  };
  // Resuming after a common prefix skips everything inside it, as S3 does.
  const skipped = startAfter.startsWith(prefix) ? groupOf(startAfter) : undefined;
  const flat = await store.listObjects(bucket, { prefix, startAfter });

  const objects: S3rverObject[] = [];
  const commonPrefixes: string[] = [];
  for (const object of [...flat.objects].sort((a, b) => compareKeys(a.key, b.key))) {
    if (skipped !== undefined && object.key.startsWith(skipped)) continue;
    const group = groupOf(object.key);
    if (group !== undefined && group === commonPrefixes.at(-1)) continue;
    if (objects.length + commonPrefixes.length >= maxKeys) return { objects, commonPrefixes, isTruncated: true };
    if (group === undefined) objects.push(object);
    else commonPrefixes.push(group);
  }
  return { objects, commonPrefixes, isTruncated: false };
}

/** S3 orders keys by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function checkCompletedParts(folder: string, parts: readonly S3rverPart[]): Promise<void> {
  for (const [index, part] of parts.entries()) {
    const previous = parts[index - 1];
    if (previous !== undefined && part.number <= previous.number) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
    const md5 = await readFile(join(folder, `${part.number}.md5`), 'utf8').catch(() => undefined);
    if (md5 !== part.etag) {
      throw new S3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { PartNumber: String(part.number), ETag: part.etag },
      );
    }
  }
}

function uploadFolder(store: S3rverStore, bucket: string, uploadId: string): string {
  return join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
}
