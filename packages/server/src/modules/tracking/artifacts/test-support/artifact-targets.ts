import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { S3BlobStore } from '../../../../adapters/blob/s3/s3-blob-store.js';
import {
  S3_TEST_CREDENTIALS,
  S3_TEST_REGION,
  startS3TestServer,
} from '../../../../adapters/blob/s3/test-support/s3-test-server.js';
import type { TestDialect } from '../../../../adapters/sql/test-support/test-databases.js';
import type { CapstanConfig } from '../../../../core/config.js';
import { createTestApp, type TestApp } from '../../../../app/test-support/test-app.js';

/** A running app plus a way to look for files a test must never have written. */
export interface ArtifactTestEnv {
  t: TestApp;
  /** Every stored path, inside or outside the artifact store, whose name contains `marker`. */
  strayWrites(marker: string): Promise<string[]>;
  stop(): Promise<void>;
}

export interface ArtifactTestTarget {
  name: string;
  start(overrides?: Partial<CapstanConfig>): Promise<ArtifactTestEnv>;
}

/** The app on `dialect` metadata with artifacts in a temporary folder. */
export function localTarget(dialect: TestDialect): ArtifactTestTarget {
  return {
    name: `${dialect} metadata, local store`,
    async start(overrides = {}) {
      const t = await createTestApp(dialect, overrides);
      return {
        t,
        // The store's folder, and the folders a `..` could reach from it.
        strayWrites: async (marker) => {
          const found = await walk(t.artifactsDir, marker);
          for (let folder = dirname(t.artifactsDir); ; folder = dirname(folder)) {
            const names = await readdir(folder).catch(() => []);
            found.push(...names.filter((name) => name.includes(marker)).map((name) => join(folder, name)));
            if (dirname(folder) === folder) break;
          }
          return found;
        },
        stop: () => t.cleanup(),
      };
    },
  };
}

/** The app on SQLite metadata with artifacts in s3rver, under a prefix of its bucket. */
export function s3Target(): ArtifactTestTarget {
  return {
    name: 'sqlite metadata, S3 store',
    async start(overrides = {}) {
      const server = await startS3TestServer();
      // The adapter takes credentials from the SDK's default chain, as in production.
      vi.stubEnv('AWS_ACCESS_KEY_ID', S3_TEST_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', S3_TEST_CREDENTIALS.secretAccessKey);
      const connection = { endpointUrl: server.endpointUrl, region: S3_TEST_REGION, forcePathStyle: true };
      const t = await createTestApp('sqlite', {
        artifactsDestination: `s3://${server.bucket}/store`,
        s3: connection,
        ...overrides,
      });
      // Sees the whole bucket, so writes that escaped the `store/` prefix show up too.
      const bucket = new S3BlobStore({ bucket: server.bucket, ...connection, clientConfig: { credentials: S3_TEST_CREDENTIALS } });
      return {
        t,
        strayWrites: async (marker) => (await walkStore(bucket, '')).filter((path) => path.includes(marker)),
        async stop() {
          await t.cleanup();
          await bucket.close();
          await server.stop();
          vi.unstubAllEnvs();
        },
      };
    },
  };
}

async function walk(folder: string, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.name.includes(marker)) found.push(path);
    if (entry.isDirectory()) found.push(...(await walk(path, marker)));
  }
  return found;
}

async function walkStore(store: S3BlobStore, prefix: string): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of await store.list(prefix)) {
    paths.push(entry.path);
    if (entry.isDir) paths.push(...(await walkStore(store, entry.path)));
  }
  return paths;
}
