import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfflineStore, OfflineViewQuery } from '../../../ports/offline-store.js';
import { S3BlobStore } from '../../blob/s3/s3-blob-store.js';
import { S3_TEST_CREDENTIALS, S3_TEST_REGION, startS3TestServer, type S3TestServer } from '../../blob/s3/test-support/s3-test-server.js';
import { createDuckdbOfflineStore } from './duckdb-offline-store.js';
import { LocalOfflineRoot } from './local-offline-root.js';
import { relativeSourcePath } from './offline-root.js';
import { openOfflineRoot } from './open-offline-root.js';
import { hour, hourSql, tempFolder, writeParquetFile } from './test-support/offline-fixtures.js';

describe('relativeSourcePath', () => {
  it('normalises relative paths', () => {
    expect(relativeSourcePath('stats/./daily/')).toBe('stats/daily');
    expect(relativeSourcePath('')).toBe('');
  });

  it('refuses paths that leave the root', () => {
    expect(() => relativeSourcePath('../../etc/passwd')).toThrow(`Source path "../../etc/passwd" leaves the offline root with '..'`);
    expect(() => relativeSourcePath('stats/../../x')).toThrow(/leaves the offline root/);
    expect(() => relativeSourcePath('/etc/passwd')).toThrow(/is absolute/);
    expect(() => relativeSourcePath('C:/data')).toThrow(/is absolute/);
    expect(() => relativeSourcePath('a\\..\\b')).toThrow(/backslash/);
  });
});

describe('openOfflineRoot', () => {
  it('refuses other schemes, and s3:// without a way to reach S3', () => {
    expect(() => openOfflineRoot({ root: 'gs://bucket/x' })).toThrow(/Unsupported offline root/);
    expect(() => openOfflineRoot({ root: 's3://bucket/x' })).toThrow(/needs a blob store or S3 connection options/);
  });
});

describe('LocalOfflineRoot.publish', () => {
  it('keeps a file out of listings until it is complete', async () => {
    const { dir, cleanup } = await tempFolder();
    try {
      const root = new LocalOfflineRoot(dir);
      let seenWhileWriting: string[] = [];
      await root.publish('pushes', 'push-1.parquet', async (temporary) => {
        await writeFile(temporary, 'half');
        seenWhileWriting = await root.files('pushes', 'parquet');
      });
      expect(seenWhileWriting).toEqual([]);
      expect(await root.files('pushes', 'parquet')).toEqual([join(dir, 'pushes/push-1.parquet')]);
      expect(await readdir(join(dir, 'pushes'))).toEqual(['push-1.parquet']);
    } finally {
      await cleanup();
    }
  });
});

describe('an s3:// offline root', () => {
  let server: S3TestServer;
  let blobs: S3BlobStore;
  let store: OfflineStore;
  let local: { dir: string; cleanup: () => Promise<void> };
  const prefix = `offline/${randomUUID()}`;

  beforeAll(async () => {
    server = await startS3TestServer();
    blobs = new S3BlobStore({
      bucket: server.bucket,
      prefix,
      endpointUrl: server.endpointUrl,
      region: S3_TEST_REGION,
      forcePathStyle: true,
      clientConfig: { credentials: S3_TEST_CREDENTIALS },
    });
    local = await tempFolder();
    store = createDuckdbOfflineStore({ root: `s3://${server.bucket}/${prefix}`, blobs, cacheDir: join(local.dir, 'cache') });
  });

  afterAll(async () => {
    await store.close();
    await blobs.close();
    await local.cleanup();
    await server.stop();
  });

  const view: OfflineViewQuery = {
    view: 'stats',
    source: { location: { kind: 'files', format: 'parquet', path: 'stats' }, timestampField: 'ts', fieldMapping: {} },
    joinKeys: [{ name: 'driver_id', dtype: 'int64' }],
    features: [{ name: 'value', dtype: 'float64', outputName: 'value' }],
    ttlMs: 0,
  };

  async function upload(key: string, select: string): Promise<void> {
    const file = join(local.dir, `${randomUUID()}.parquet`);
    await writeParquetFile(file, select);
    await blobs.put(key, await readFile(file));
  }

  async function values(drivers: number[], times: number[]) {
    const result = await store.historical(
      { kind: 'columns', columns: { driver_id: drivers, ts: times }, timestampColumn: 'ts', fields: [{ name: 'driver_id', dtype: 'int64' }] },
      [view],
    );
    try {
      return (await result.toColumns()).value;
    } finally {
      await result.release();
    }
  }

  it('reads objects through a local cache, uploads appends, and re-downloads an object whose size changed', async () => {
    await upload('stats/a.parquet', `SELECT 1::BIGINT AS driver_id, ${hourSql(1)} AS ts, 1.0::DOUBLE AS value`);
    expect(await values([1], [hour(1)])).toEqual([1]);

    const columns = [
      { name: 'driver_id', dtype: 'int64' as const },
      { name: 'ts', dtype: 'unix_timestamp' as const },
      { name: 'value', dtype: 'float64' as const },
    ];
    await store.append({ kind: 'files', format: 'parquet', path: 'stats' }, columns, { driver_id: [2], ts: [hour(2)], value: [2] });
    const listed = await blobs.list('stats');
    expect(listed.map((e) => e.path)).toEqual(['stats/a.parquet', expect.stringMatching(/^stats\/push-\d{15}-[0-9a-f]{8}\.parquet$/)]);
    expect(await values([1, 2], [hour(1), hour(2)])).toEqual([1, 2]);

    // Replaced by a larger object: two rows instead of one.
    await upload('stats/a.parquet', `SELECT * FROM (VALUES (1::BIGINT, ${hourSql(1)}, 10.0::DOUBLE), (3, ${hourSql(1)}, 30.0)) t(driver_id, ts, value)`);
    expect(await values([1, 3], [hour(1), hour(1)])).toEqual([10, 30]);
    // One cached copy per object: the stale copy of the first a.parquet is gone.
    expect(await readdir(join(local.dir, 'cache'))).toHaveLength(2);
  });

  it('refuses a path that does not exist in the bucket', async () => {
    const missing: OfflineViewQuery = { ...view, source: { ...view.source, location: { kind: 'files', format: 'parquet', path: 'nothing/here' } } };
    const entities = { kind: 'columns' as const, columns: { driver_id: [1], ts: [hour(1)] }, timestampColumn: 'ts', fields: [] };
    await expect(store.historical(entities, [missing])).rejects.toThrow(/parquet source nothing\/here: no such file or folder under the offline root s3:\/\//);
  });
});
