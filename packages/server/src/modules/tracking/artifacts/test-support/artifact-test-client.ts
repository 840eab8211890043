import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TestApp } from '../../../../app/test-support/test-app.js';
import type { ArtifactTestEnv, ArtifactTestTarget } from './artifact-targets.js';

export const PROXY = '/api/2.0/mlflow-artifacts';
export const MiB = 1024 * 1024;

/** Calls the artifact routes of one app the way MLflow clients do, in process (app.inject). */
export interface ArtifactTestClient {
  env(): ArtifactTestEnv;
  mlflow: TestApp['mlflow'];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  put(path: string, payload: Buffer | Readable | string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(path: string): Promise<LightMyRequestResponse>;
  list(path?: string): Promise<LightMyRequestResponse>;
  mpu(action: 'create' | 'complete' | 'abort', folder: string, body: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** A part upload to a credential URL; the URL's path is what routes it. */
  putToUrl(url: string, payload: Buffer): Promise<LightMyRequestResponse>;
  /** A folder name no other test uses. */
  fresh(): string;
}

export interface CreateResponse {
  upload_id: string;
  credentials: Array<{ url: string; part_number: number; headers: Record<string, string> }>;
}

/** Starts the target's app before the enclosing describe's tests and stops it after them. */
export function useArtifactTestClient(target: ArtifactTestTarget): ArtifactTestClient {
  let current: ArtifactTestEnv | undefined;
  beforeAll(async () => {
    current = await target.start();
  });
  afterAll(async () => current?.stop());

  const env = () => {
    if (current === undefined) throw new Error('the artifact test app is not running');
    return current;
  };
  const inject = (options: InjectOptions) => env().t.app.inject(options);
  return {
    env,
    mlflow: (method, path, body) => env().t.mlflow(method, path, body),
    inject,
    put: (path, payload, headers = {}) => inject({ method: 'PUT', url: `${PROXY}/artifacts/${path}`, payload, headers }),
    get: (path) => inject({ method: 'GET', url: `${PROXY}/artifacts/${path}` }),
    list: (path) => inject({ method: 'GET', url: `${PROXY}/artifacts`, query: path === undefined ? {} : { path } }),
    mpu: (action, folder, body) => inject({ method: 'POST', url: `${PROXY}/mpu/${action}/${folder}`, payload: body }),
    putToUrl: (url, payload) => {
      const target = new URL(url);
      return inject({ method: 'PUT', url: `${target.pathname}${target.search}`, payload });
    },
    fresh: () => `t-${randomUUID()}`,
  };
}

export function expectInvalid(res: LightMyRequestResponse): void {
  expect(res.statusCode).toBe(400);
  expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `size` deterministic pseudo-random bytes, produced 1 MiB at a time, and their digest once read. */
export function pseudoRandomStream(size: number, seed: string): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0, block = 0; offset < size; offset += MiB, block++) {
      const chunk = Buffer.alloc(Math.min(MiB, size - offset));
      const seedBytes = createHash('sha256').update(`${seed}:${block}`).digest();
      for (let i = 0; i < chunk.length; i += seedBytes.length) seedBytes.copy(chunk, i);
      chunk.writeUInt32BE(block, 0);
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), digest: () => hash.digest('hex') };
}
