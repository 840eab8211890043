import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeBlobStoreContract, expectCode, failingStream, readAll } from '../blob-store.contract.js';
import { createBlobStore } from '../create-blob-store.js';
import { S3BlobStore } from '../s3/s3-blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

describeBlobStoreContract('LocalBlobStore', async () => {
  const workspace = await mkdtemp(join(tmpdir(), 'capstan-local-blob-'));
  const store = new LocalBlobStore(join(workspace, 'root'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
});

describe('LocalBlobStore', () => {
  let workspace: string;
  let root: string;
  let outside: string;
  let store: LocalBlobStore;

  beforeEach(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'capstan-local-blob-')));
    root = join(workspace, 'store');
    outside = join(workspace, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'top secret');
    store = new LocalBlobStore(root);
  });

  afterEach(async () => {
    await store.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('creates a missing root, however deep', async () => {
    const deep = new LocalBlobStore(join(workspace, 'a', 'b', 'c'));
    expect((await stat(deep.root)).isDirectory()).toBe(true);
    await deep.put('x.txt', Buffer.from('x'));
    expect(await readFile(join(workspace, 'a', 'b', 'c', 'x.txt'), 'utf8')).toBe('x');
  });

  it('stores objects as plain files under the root', async () => {
    await store.put('1/abc/artifacts/MLmodel', Buffer.from('flavors: {}'));
    expect(await readFile(join(root, '1', 'abc', 'artifacts', 'MLmodel'), 'utf8')).toBe('flavors: {}');
  });

  describe('symlinks', () => {
    it('will not read, stat or list through a folder symlink leading out of the root', async () => {
      await symlink(outside, join(root, 'escape'), 'dir');
      await expectCode(store.get('escape/secret.txt'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.stat('escape/secret.txt'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.list('escape'), 'INVALID_PARAMETER_VALUE');
      await expect(store.list('')).resolves.toEqual([]);
    });

    it('will not write through a folder symlink leading out of the root', async () => {
      await symlink(outside, join(root, 'escape'), 'dir');
      await expectCode(store.put('escape/planted.txt', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.put('escape/new/planted.txt', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.createMultipartUpload('escape/planted.txt'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.delete('escape/secret.txt'), 'INVALID_PARAMETER_VALUE');
      expect(await readdir(outside)).toEqual(['secret.txt']);
    });

    it('will not read a file symlink leading out of the root', async () => {
      await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
      await expectCode(store.get('leak.txt'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.stat('leak.txt'), 'INVALID_PARAMETER_VALUE');
    });

    it('replaces a file symlink on write rather than writing through it', async () => {
      await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
      await store.put('leak.txt', Buffer.from('mine'));
      expect((await readAll(await store.get('leak.txt'))).toString()).toBe('mine');
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    });

    it('deletes a symlink itself, never its target', async () => {
      await symlink(outside, join(root, 'escape'), 'dir');
      await store.delete('escape');
      expect(await readdir(root)).toEqual([]);
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    });

    it('follows symlinks that stay inside the root', async () => {
      await store.put('real/a.txt', Buffer.from('inside'));
      await symlink(join(root, 'real'), join(root, 'alias'), 'dir');
      expect((await readAll(await store.get('alias/a.txt'))).toString()).toBe('inside');
      await expect(store.list('')).resolves.toEqual([
        { path: 'alias', isDir: true },
        { path: 'real', isDir: true },
      ]);
    });

    it('works when the root itself is reached through a symlink', async () => {
      await symlink(root, join(workspace, 'root-link'), 'dir');
      const viaLink = new LocalBlobStore(join(workspace, 'root-link'));
      expect(viaLink.root).toBe(root);
      await viaLink.put('a/b.txt', Buffer.from('ok'));
      expect((await readAll(await viaLink.get('a/b.txt'))).toString()).toBe('ok');
    });
  });

  describe('atomic writes', () => {
    it('shows nothing at the key while a put is still streaming', async () => {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      async function* slowBody(): AsyncGenerator<Buffer> {
        yield Buffer.alloc(1024 * 1024, 1);
        await gate;
        yield Buffer.from('end');
      }
      const pending = store.put('slow/model.bin', Readable.from(slowBody()));

      await vi.waitFor(async () => {
        const names = await readdir(join(root, 'slow'));
        expect(names).toHaveLength(1);
        expect(names[0]).toMatch(/^\.capstan-tmp-/);
      });
      await expect(store.stat('slow/model.bin')).resolves.toBeUndefined();
      await expect(store.list('slow')).resolves.toEqual([]);
      await expectCode(store.get('slow/model.bin'), 'RESOURCE_DOES_NOT_EXIST');

      release();
      await expect(pending).resolves.toEqual({ size: 1024 * 1024 + 3 });
      expect(await readdir(join(root, 'slow'))).toEqual(['model.bin']);
    });

    it('removes the temp file, and the folders it made, when the body fails', async () => {
      await expect(store.put('new/deep/file.bin', failingStream(2 * 1024 * 1024))).rejects.toThrow('client went away');
      expect(await readdir(root)).toEqual([]);
    });

    it('leaves no temp file next to a replaced object', async () => {
      await store.put('d/x.txt', Buffer.from('1'));
      await expect(store.put('d/x.txt', failingStream(10))).rejects.toThrow();
      expect(await readdir(join(root, 'd'))).toEqual(['x.txt']);
    });
  });

  describe('file/folder conflicts', () => {
    it('refuses to write under a path that is a file', async () => {
      await store.put('a', Buffer.from('file'));
      await expectCode(store.put('a/b.txt', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
      expect((await readAll(await store.get('a'))).toString()).toBe('file');
    });

    it('refuses to replace a folder with a file', async () => {
      await store.put('dir/x.txt', Buffer.from('x'));
      await expectCode(store.put('dir', Buffer.from('file')), 'INVALID_PARAMETER_VALUE');
      await expect(store.list('dir')).resolves.toEqual([{ path: 'dir/x.txt', isDir: false, size: 1 }]);
      expect(await readdir(join(root, 'dir'))).toEqual(['x.txt']);
    });
  });

  describe('multipart staging', () => {
    it('keeps parts under .capstan-multipart/<uploadId>, hidden from list, named by their MD5', async () => {
      const { uploadId } = await store.createMultipartUpload('m/model.bin');
      const body = Buffer.from('part one');
      const { etag } = await store.uploadPart('m/model.bin', uploadId, 1, body);
      expect(etag).toBe(createHash('md5').update(body).digest('hex'));

      const staging = join(root, '.capstan-multipart', uploadId);
      expect((await readdir(staging)).sort()).toEqual([`1-${etag}.part`, 'key']);
      await expect(store.list('')).resolves.toEqual([]);

      await store.completeMultipartUpload('m/model.bin', uploadId, [{ partNumber: 1, etag: etag.toUpperCase() }]);
      expect(await readdir(join(root, '.capstan-multipart'))).toEqual([]);
      expect(await readFile(join(root, 'm', 'model.bin'), 'utf8')).toBe('part one');
    });

    it('removes the staging folder on abort', async () => {
      const { uploadId } = await store.createMultipartUpload('x.bin');
      await store.uploadPart('x.bin', uploadId, 1, Buffer.from('p'));
      await store.abortMultipartUpload('x.bin', uploadId);
      expect(await readdir(join(root, '.capstan-multipart'))).toEqual([]);
    });

    it('catches a part that changed on disk after upload', async () => {
      const { uploadId } = await store.createMultipartUpload('tampered.bin');
      const { etag } = await store.uploadPart('tampered.bin', uploadId, 1, Buffer.from('original'));
      await writeFile(join(root, '.capstan-multipart', uploadId, `1-${etag}.part`), 'tampered');
      await expectCode(store.completeMultipartUpload('tampered.bin', uploadId, [{ partNumber: 1, etag }]), 'DATA_LOSS');
      await expect(store.stat('tampered.bin')).resolves.toBeUndefined();
      expect(await readdir(root)).toEqual(['.capstan-multipart']);
    });

    it('refuses upload ids and ETags that could name other files', async () => {
      await expectCode(store.uploadPart('k', '../../outside', 1, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST');
      const { uploadId } = await store.createMultipartUpload('k');
      await store.uploadPart('k', uploadId, 1, Buffer.from('x'));
      await expectCode(
        store.completeMultipartUpload('k', uploadId, [{ partNumber: 1, etag: '../../../outside/secret.txt' }]),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('reserves .capstan- names for itself', async () => {
      await expectCode(store.put('.capstan-multipart/evil', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.get('a/.capstan-tmp-123'), 'INVALID_PARAMETER_VALUE');
      await expectCode(store.delete('.capstan-multipart'), 'INVALID_PARAMETER_VALUE');
    });

    it('keeps in-flight uploads when the whole store is emptied', async () => {
      const { uploadId } = await store.createMultipartUpload('survivor.bin');
      const { etag } = await store.uploadPart('survivor.bin', uploadId, 1, Buffer.from('s'));
      await store.put('other.txt', Buffer.from('o'));
      await store.delete('');
      await store.completeMultipartUpload('survivor.bin', uploadId, [{ partNumber: 1, etag }]);
      await expect(store.list('')).resolves.toEqual([{ path: 'survivor.bin', isDir: false, size: 1 }]);
    });
  });
});

describe('createBlobStore (local locations)', () => {
  const s3Options = { region: 'us-east-1', forcePathStyle: true };
  let workspace: string;

  beforeEach(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'capstan-create-blob-')));
  });

  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('opens a file:/// URI as a local store', async () => {
    const store = createBlobStore(pathToFileURL(join(workspace, 'via-uri')).href, s3Options);
    expect(store).toBeInstanceOf(LocalBlobStore);
    await store.put('a.txt', Buffer.from('a'));
    expect(await readFile(join(workspace, 'via-uri', 'a.txt'), 'utf8')).toBe('a');
  });

  it('resolves a plain path against the working directory', async () => {
    const store = createBlobStore(relative(process.cwd(), join(workspace, 'plain')), s3Options);
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect((store as LocalBlobStore).root).toBe(join(workspace, 'plain'));
    expect(createBlobStore(join(workspace, 'absolute'), s3Options)).toBeInstanceOf(LocalBlobStore);
  });

  it('opens s3:// as an S3 store with its bucket and prefix', async () => {
    const store = createBlobStore('s3://my-bucket/team/artifacts/', s3Options);
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store).toMatchObject({ bucket: 'my-bucket', prefix: 'team/artifacts' });
    await store.close();
    expect(createBlobStore('s3://my-bucket', s3Options)).toMatchObject({ bucket: 'my-bucket', prefix: '' });
  });

  it.each([
    'gs://bucket/path',
    'https://example.com/artifacts',
    'mlflow-artifacts:/',
    'file:relative/dir',
    'file://remote-host/share',
    's3://',
    's3:///no-bucket',
    's3://bucket/../escape',
    '',
  ])('rejects %j naming the supported schemes', (uri) => {
    let caught: unknown;
    try {
      createBlobStore(uri, s3Options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    if (!uri.startsWith('s3://bucket/')) expect(String(caught)).toMatch(/file:\/\/\/.*s3:\/\//);
  });
});
