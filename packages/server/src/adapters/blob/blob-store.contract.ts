import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapstanError, type ErrorCode } from '../../core/errors.js';
import type { BlobStore } from '../../ports/blob-store.js';

export interface BlobStoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
/** S3 refuses parts under 5 MiB except the last, so multipart cases use real-sized parts. */
const PART_SIZE = 5 * MiB;

/**
 * The behaviour every BlobStore adapter must share. Each adapter's test file calls this with a
 * factory giving a fresh, empty store per test; adapter-specific cases live beside the adapter.
 */
export function describeBlobStoreContract(name: string, factory: () => Promise<BlobStoreFixture>): void {
  describe(`${name} (BlobStore contract)`, () => {
    let fixture: BlobStoreFixture | undefined;
    const store = (): BlobStore => {
      if (fixture === undefined) throw new Error('the store fixture was not created');
      return fixture.store;
    };

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    describe('put and get', () => {
      it('round-trips text and reports the size', async () => {
        await expect(store().put('runs/1/notes.txt', Buffer.from('héllo'))).resolves.toEqual({ size: 6 });
        expect((await readAll(await store().get('runs/1/notes.txt'))).toString('utf8')).toBe('héllo');
      });

      it('round-trips every byte value', async () => {
        const bytes = Buffer.from(Array.from({ length: 512 }, (_, index) => index % 256));
        await store().put('model.bin', bytes);
        expect((await readAll(await store().get('model.bin'))).equals(bytes)).toBe(true);
      });

      it('stores an empty object', async () => {
        await expect(store().put('empty', Buffer.alloc(0))).resolves.toEqual({ size: 0 });
        expect(await readAll(await store().get('empty'))).toHaveLength(0);
        await expect(store().stat('empty')).resolves.toEqual({ size: 0 });
      });

      it('streams a 10 MiB body of unknown length', async () => {
        const { stream, sha256 } = patternStream(10 * MiB, 64 * 1024);
        await expect(store().put('big/weights.bin', stream)).resolves.toEqual({ size: 10 * MiB });
        const read = await readAll(await store().get('big/weights.bin'));
        expect(read).toHaveLength(10 * MiB);
        expect(digest(read)).toBe(sha256);
      });

      it('accepts string chunks from a stream', async () => {
        await expect(store().put('text.csv', Readable.from(['a,b\n', '1,2\n']))).resolves.toEqual({ size: 8 });
        expect((await readAll(await store().get('text.csv'))).toString()).toBe('a,b\n1,2\n');
      });

      it('overwrites an existing object', async () => {
        await store().put('x/model.pkl', Buffer.from('first version'));
        await expect(store().put('x/model.pkl', Buffer.from('v2'))).resolves.toEqual({ size: 2 });
        expect((await readAll(await store().get('x/model.pkl'))).toString()).toBe('v2');
        await expect(store().stat('x/model.pkl')).resolves.toEqual({ size: 2 });
      });

      it('leaves nothing behind when the body stream fails', async () => {
        await expect(store().put('broken/file.bin', failingStream(3 * MiB))).rejects.toThrow('client went away');
        await expect(store().stat('broken/file.bin')).resolves.toBeUndefined();
        await expect(store().list('')).resolves.toEqual([]);
      });

      it('keeps the previous version when a replacement fails', async () => {
        await store().put('keep.txt', Buffer.from('old'));
        await expect(store().put('keep.txt', failingStream(1024))).rejects.toThrow('client went away');
        expect((await readAll(await store().get('keep.txt'))).toString()).toBe('old');
      });

      it('reports a missing object as RESOURCE_DOES_NOT_EXIST', async () => {
        await expectCode(store().get('nope.txt'), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store().get('no/such/folder/file'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('does not read a folder as an object', async () => {
        await store().put('dir/child.txt', Buffer.from('c'));
        await expectCode(store().get('dir'), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store().get(''), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('normalises keys, so equivalent spellings name one object', async () => {
        await store().put('a//b/./c.txt', Buffer.from('same'));
        expect((await readAll(await store().get('a/b/c.txt'))).toString()).toBe('same');
        await expect(store().list('a/b/')).resolves.toEqual([{ path: 'a/b/c.txt', isDir: false, size: 4 }]);
      });

      it('treats percent-encoded dots as a literal name', async () => {
        await store().put('%2e%2e/x.txt', Buffer.from('literal'));
        expect((await readAll(await store().get('%2e%2e/x.txt'))).toString()).toBe('literal');
        await expect(store().list('')).resolves.toEqual([{ path: '%2e%2e', isDir: true }]);
      });
    });

    describe('stat', () => {
      it('gives the size of an object and nothing for anything else', async () => {
        await store().put('m/data.parquet', Buffer.alloc(1234, 7));
        await expect(store().stat('m/data.parquet')).resolves.toEqual({ size: 1234 });
        await expect(store().stat('m/missing')).resolves.toBeUndefined();
        await expect(store().stat('m')).resolves.toBeUndefined();
        await expect(store().stat('')).resolves.toBeUndefined();
      });
    });

    describe('list', () => {
      beforeEach(async () => {
        await store().put('exp/run/b/c.txt', Buffer.from('ccc'));
        await store().put('exp/run/b/d/e.txt', Buffer.from('e'));
        await store().put('exp/run/f.bin', Buffer.from('ffff'));
        await store().put('exp/run/0.txt', Buffer.from(''));
        await store().put('exp/run-2/other.txt', Buffer.from('o'));
        await store().put('exp/run.txt', Buffer.from('rt'));
        await store().put('top.txt', Buffer.from('t'));
      });

      it('returns immediate children only, sorted, with sizes for files', async () => {
        await expect(store().list('exp/run')).resolves.toEqual([
          { path: 'exp/run/0.txt', isDir: false, size: 0 },
          { path: 'exp/run/b', isDir: true },
          { path: 'exp/run/f.bin', isDir: false, size: 4 },
        ]);
      });

      it('lists the root with an empty prefix', async () => {
        await expect(store().list('')).resolves.toEqual([
          { path: 'exp', isDir: true },
          { path: 'top.txt', isDir: false, size: 1 },
        ]);
      });

      it('does not mistake siblings sharing a name prefix for children', async () => {
        await expect(store().list('exp')).resolves.toEqual([
          { path: 'exp/run', isDir: true },
          { path: 'exp/run-2', isDir: true },
          { path: 'exp/run.txt', isDir: false, size: 2 },
        ]);
      });

      it('gives sizes for files and none for folders', async () => {
        const entries = await store().list('exp/run/b');
        expect(entries).toEqual([
          { path: 'exp/run/b/c.txt', isDir: false, size: 3 },
          { path: 'exp/run/b/d', isDir: true },
        ]);
        expect(entries[1]?.size).toBeUndefined();
      });

      it('accepts a trailing slash and returns the same entries', async () => {
        await expect(store().list('exp/run/')).resolves.toEqual(await store().list('exp/run'));
      });

      it('returns [] for a missing prefix or a file', async () => {
        await expect(store().list('nope')).resolves.toEqual([]);
        await expect(store().list('exp/nope/deeper')).resolves.toEqual([]);
        await expect(store().list('top.txt')).resolves.toEqual([]);
      });
    });

    describe('delete', () => {
      it('deletes one object and leaves its siblings', async () => {
        await store().put('d/one.txt', Buffer.from('1'));
        await store().put('d/two.txt', Buffer.from('2'));
        await store().delete('d/one.txt');
        await expect(store().stat('d/one.txt')).resolves.toBeUndefined();
        await expectCode(store().get('d/one.txt'), 'RESOURCE_DOES_NOT_EXIST');
        await expect(store().list('d')).resolves.toEqual([{ path: 'd/two.txt', isDir: false, size: 1 }]);
      });

      it('leaves no empty folder behind, as S3 has none', async () => {
        await store().put('lonely/deep/file.txt', Buffer.from('x'));
        await store().delete('lonely/deep/file.txt');
        await expect(store().list('')).resolves.toEqual([]);
      });

      it('deletes a folder recursively without touching name-prefix siblings', async () => {
        await store().put('runs/1/a.txt', Buffer.from('a'));
        await store().put('runs/1/sub/b.txt', Buffer.from('b'));
        await store().put('runs/1/sub/deeper/c.txt', Buffer.from('c'));
        await store().put('runs/10/keep.txt', Buffer.from('k'));
        await store().put('runs/1.txt', Buffer.from('k'));
        await store().delete('runs/1');
        await expect(store().list('runs')).resolves.toEqual([
          { path: 'runs/1.txt', isDir: false, size: 1 },
          { path: 'runs/10', isDir: true },
        ]);
        await expect(store().list('runs/1')).resolves.toEqual([]);
        await expect(store().stat('runs/1/sub/deeper/c.txt')).resolves.toBeUndefined();
      });

      it('empties the store when given the root', async () => {
        await store().put('a/b.txt', Buffer.from('b'));
        await store().put('c.txt', Buffer.from('c'));
        await store().delete('');
        await expect(store().list('')).resolves.toEqual([]);
      });

      it('treats a missing key as already deleted', async () => {
        await expect(store().delete('never/existed')).resolves.toBeUndefined();
      });
    });

    describe('key validation', () => {
      const badKeys = ['../escape.txt', 'a/../../b', '/etc/passwd', 'a\\b.txt', 'nul\0byte', 'C:/Windows/x'];

      it.each(badKeys)('rejects %j everywhere with INVALID_PARAMETER_VALUE', async (key) => {
        await expectCode(store().put(key, Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().get(key), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().stat(key), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().list(key), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().delete(key), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().createMultipartUpload(key), 'INVALID_PARAMETER_VALUE');
      });

      it('refuses to write an object at the root', async () => {
        await expectCode(store().put('', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().put('./', Buffer.from('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(store().createMultipartUpload(''), 'INVALID_PARAMETER_VALUE');
      });
    });

    describe('multipart upload', () => {
      const part1 = Buffer.alloc(PART_SIZE, 1);
      const part2 = Buffer.alloc(PART_SIZE, 2);
      const part3 = Buffer.from('tail bytes');
      const whole = Buffer.concat([part1, part2, part3]);

      it('assembles parts by part number whatever order they arrive and are listed in', async () => {
        const key = 'runs/9/artifacts/model.onnx';
        const { uploadId } = await store().createMultipartUpload(key);
        expect(uploadId).not.toBe('');
        const third = await store().uploadPart(key, uploadId, 3, part3);
        const first = await store().uploadPart(key, uploadId, 1, Readable.from([part1]));
        const second = await store().uploadPart(key, uploadId, 2, part2);
        for (const { etag } of [first, second, third]) expect(etag).toMatch(/^[^"]+$/);

        // Nothing is visible until completion.
        await expect(store().stat(key)).resolves.toBeUndefined();
        await expect(store().list('')).resolves.toEqual([]);

        await store().completeMultipartUpload(key, uploadId, [
          { partNumber: 3, etag: third.etag },
          { partNumber: 1, etag: `"${first.etag}"` },
          { partNumber: 2, etag: second.etag },
        ]);
        await expect(store().stat(key)).resolves.toEqual({ size: whole.length });
        expect(digest(await readAll(await store().get(key)))).toBe(digest(whole));
        await expect(store().list('runs/9/artifacts')).resolves.toEqual([
          { path: key, isDir: false, size: whole.length },
        ]);
      });

      it('uses the last upload of a part number', async () => {
        const key = 'retry.bin';
        const { uploadId } = await store().createMultipartUpload(key);
        await store().uploadPart(key, uploadId, 1, Buffer.from('stale'));
        const retried = await store().uploadPart(key, uploadId, 1, Buffer.from('fresh'));
        await store().completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: retried.etag }]);
        expect((await readAll(await store().get(key))).toString()).toBe('fresh');
      });

      it('rejects a completion whose ETag does not match, keeping the upload open', async () => {
        const key = 'bad-etag.bin';
        const { uploadId } = await store().createMultipartUpload(key);
        const { etag } = await store().uploadPart(key, uploadId, 1, Buffer.from('part one'));
        const wrong = etag === 'ffffffffffffffffffffffffffffffff' ? '00000000000000000000000000000000' : 'ffffffffffffffffffffffffffffffff';
        await expectCode(
          store().completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: wrong }]),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store().completeMultipartUpload(key, uploadId, [
            { partNumber: 1, etag },
            { partNumber: 2, etag },
          ]),
          'INVALID_PARAMETER_VALUE',
        );
        await expect(store().stat(key)).resolves.toBeUndefined();

        await store().completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag }]);
        expect((await readAll(await store().get(key))).toString()).toBe('part one');
      });

      it('rejects malformed part lists and part numbers', async () => {
        const key = 'numbers.bin';
        const { uploadId } = await store().createMultipartUpload(key);
        const { etag } = await store().uploadPart(key, uploadId, 1, Buffer.from('p'));
        for (const partNumber of [0, 10_001, 1.5]) {
          await expectCode(store().uploadPart(key, uploadId, partNumber, Buffer.from('p')), 'INVALID_PARAMETER_VALUE');
        }
        await expectCode(store().completeMultipartUpload(key, uploadId, []), 'INVALID_PARAMETER_VALUE');
        await expectCode(
          store().completeMultipartUpload(key, uploadId, [
            { partNumber: 1, etag },
            { partNumber: 1, etag },
          ]),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('aborts: the upload is gone and no object appears', async () => {
        const key = 'aborted.bin';
        const { uploadId } = await store().createMultipartUpload(key);
        const { etag } = await store().uploadPart(key, uploadId, 1, Buffer.from('doomed'));
        await store().abortMultipartUpload(key, uploadId);
        await expectCode(
          store().completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag }]),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(store().uploadPart(key, uploadId, 2, Buffer.from('late')), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store().abortMultipartUpload(key, uploadId), 'RESOURCE_DOES_NOT_EXIST');
        await expect(store().stat(key)).resolves.toBeUndefined();
        await expect(store().list('')).resolves.toEqual([]);
      });

      it('reports an unknown upload id as RESOURCE_DOES_NOT_EXIST', async () => {
        const key = 'ghost.bin';
        const uploadId = 'no-such-upload';
        const etag = digest(Buffer.from('x'));
        await expectCode(store().uploadPart(key, uploadId, 1, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(
          store().completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag }]),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(store().abortMultipartUpload(key, uploadId), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('ties an upload id to the key it was created for', async () => {
        const { uploadId } = await store().createMultipartUpload('mine.bin');
        await expectCode(store().uploadPart('theirs.bin', uploadId, 1, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store().abortMultipartUpload('theirs.bin', uploadId), 'RESOURCE_DOES_NOT_EXIST');
        await store().abortMultipartUpload('mine.bin', uploadId);
      });
    });
  });
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error, `expected a CapstanError ${code}`).toBeInstanceOf(CapstanError);
  expect((error as CapstanError).code).toBe(code);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<unknown>) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A stream with no declared length whose bytes vary, so a misplaced chunk changes the hash. */
function patternStream(size: number, chunkSize: number): { stream: Readable; sha256: string } {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  for (let offset = 0, index = 0; offset < size; offset += chunkSize, index++) {
    const chunk = Buffer.alloc(Math.min(chunkSize, size - offset), index % 251);
    chunk.writeUInt32BE(index, 0);
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { stream: Readable.from(chunks), sha256: hash.digest('hex') };
}

/** Yields some bytes, then fails the way a dropped client connection does. */
export function failingStream(bytesBeforeFailure: number): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    yield Buffer.alloc(bytesBeforeFailure, 9);
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('client went away');
  }
  return Readable.from(generate());
}
