import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeBlobStoreContract, expectCode, failingStream, readAll } from '../blob-store.contract.js';
import { createBlobStore } from '../create-blob-store.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';
import { S3_TEST_CREDENTIALS, S3_TEST_REGION, startS3TestServer, type S3TestServer } from './test-support/s3-test-server.js';

let server: S3TestServer;
let admin: S3Client;

beforeAll(async () => {
  server = await startS3TestServer();
  admin = new S3Client({
    endpoint: server.endpointUrl,
    region: S3_TEST_REGION,
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
  });
});

afterAll(async () => {
  admin.destroy();
  await server.stop();
});

function storeFor(bucket: string, options: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  return new S3BlobStore({
    bucket,
    endpointUrl: server.endpointUrl,
    region: S3_TEST_REGION,
    forcePathStyle: true,
    clientConfig: { credentials: S3_TEST_CREDENTIALS },
    ...options,
  });
}

async function freshBucket(): Promise<string> {
  const bucket = `b-${randomUUID()}`;
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

describeBlobStoreContract('S3BlobStore at a bucket root', async () => {
  const store = storeFor(await freshBucket());
  return { store, cleanup: () => store.close() };
});

describeBlobStoreContract('S3BlobStore under a prefix', async () => {
  const store = storeFor(server.bucket, { prefix: `tenants/${randomUUID()}/artifacts` });
  return { store, cleanup: () => store.close() };
});

describe('S3BlobStore', () => {
  let bucket: string;
  const opened: S3BlobStore[] = [];
  const open = (options: Partial<S3BlobStoreOptions> = {}): S3BlobStore => {
    const store = storeFor(bucket, options);
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    bucket = await freshBucket();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  describe('prefix isolation', () => {
    it('keeps each prefix to itself, including prefixes that share a leading name', async () => {
      const a = open({ prefix: 'iso/a' });
      const ab = open({ prefix: 'iso/a-b/' });
      const root = open();
      await a.put('x.txt', Buffer.from('from a'));
      await a.put('d/y.txt', Buffer.from('y'));
      await ab.put('x.txt', Buffer.from('from a-b'));

      await expect(a.list('')).resolves.toEqual([
        { path: 'd', isDir: true },
        { path: 'x.txt', isDir: false, size: 6 },
      ]);
      await expect(ab.list('')).resolves.toEqual([{ path: 'x.txt', isDir: false, size: 8 }]);
      await expect(root.list('iso')).resolves.toEqual([
        { path: 'iso/a', isDir: true },
        { path: 'iso/a-b', isDir: true },
      ]);
      expect((await readAll(await root.get('iso/a/d/y.txt'))).toString()).toBe('y');
      expect((await readAll(await ab.get('x.txt'))).toString()).toBe('from a-b');
      await expectCode(ab.get('d/y.txt'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('empties only its own prefix, sparing an object named like the prefix itself', async () => {
      const a = open({ prefix: 'iso/a' });
      const ab = open({ prefix: 'iso/a-b' });
      const root = open();
      await a.put('one/two.txt', Buffer.from('2'));
      await ab.put('keep.txt', Buffer.from('k'));
      await root.put('iso/a', Buffer.from('an object at the prefix key'));

      await a.delete('');
      await expect(a.list('')).resolves.toEqual([]);
      await expect(root.list('iso')).resolves.toEqual([
        { path: 'iso/a', isDir: false, size: 27 },
        { path: 'iso/a-b', isDir: true },
      ]);
    });

    it('runs multipart uploads under the prefix', async () => {
      const a = open({ prefix: 'mp' });
      const { uploadId } = await a.createMultipartUpload('m.bin');
      const { etag } = await a.uploadPart('m.bin', uploadId, 1, Buffer.from('multi'));
      await a.completeMultipartUpload('m.bin', uploadId, [{ partNumber: 1, etag }]);
      await expect(open().stat('mp/m.bin')).resolves.toEqual({ size: 5 });
    });
  });

  describe('pagination', () => {
    it('lists and deletes across many pages', async () => {
      const store = open({ pageSize: 2 });
      const files = Array.from({ length: 7 }, (_, index) => `many/file-${index}.txt`);
      const folders = ['many/dir-a/x', 'many/dir-b/y', 'many/dir-c/deep/z'];
      await Promise.all([...files, ...folders].map((key) => store.put(key, Buffer.from(key))));

      const entries = await store.list('many');
      expect(entries.map((entry) => entry.path)).toEqual([
        'many/dir-a',
        'many/dir-b',
        'many/dir-c',
        ...files,
      ]);

      await store.delete('many');
      await expect(store.list('')).resolves.toEqual([]);
    });
  });

  it('streams a part of unknown length', async () => {
    const store = open();
    const { uploadId } = await store.createMultipartUpload('streamed.bin');
    const body = Buffer.from('a streamed part body');
    const { etag } = await store.uploadPart('streamed.bin', uploadId, 1, Readable.from([body.subarray(0, 5), body.subarray(5)]));
    await store.completeMultipartUpload('streamed.bin', uploadId, [{ partNumber: 1, etag }]);
    expect((await readAll(await store.get('streamed.bin'))).equals(body)).toBe(true);
  });

  it('abandons a multipart put whose body fails after the first part', async () => {
    const store = open();
    await expect(store.put('big.bin', failingStream(6 * 1024 * 1024))).rejects.toThrow('client went away');
    await expect(store.stat('big.bin')).resolves.toBeUndefined();
  });

  it('lists folder-marker objects as folders, not as empty names', async () => {
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'console/', Body: '' }));
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'console/file.txt', Body: 'f' }));
    const store = open();
    await expect(store.list('')).resolves.toEqual([{ path: 'console', isDir: true }]);
    await expect(store.list('console')).resolves.toEqual([{ path: 'console/file.txt', isDir: false, size: 1 }]);
  });

  it('reports a missing bucket as a server fault, not a missing artifact', async () => {
    const store = storeFor('no-such-bucket');
    opened.push(store);
    await expectCode(store.get('x'), 'INTERNAL_ERROR');
  });

  describe('createBlobStore', () => {
    beforeEach(() => {
      vi.stubEnv('AWS_PROFILE', undefined);
      vi.stubEnv('AWS_ACCESS_KEY_ID', S3_TEST_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', S3_TEST_CREDENTIALS.secretAccessKey);
    });

    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('opens s3://bucket/prefix with credentials from the default chain', async () => {
      const store = createBlobStore(`s3://${bucket}/from/uri`, {
        endpointUrl: server.endpointUrl,
        region: S3_TEST_REGION,
        forcePathStyle: true,
      });
      try {
        await store.put('hello.txt', Buffer.from('hi'));
        await expect(open().list('from/uri')).resolves.toEqual([{ path: 'from/uri/hello.txt', isDir: false, size: 2 }]);
      } finally {
        await store.close();
      }
    });
  });
});
