import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import {
  MLFLOW_ARTIFACTS_API_PREFIX,
  MLFLOW_ARTIFACTS_ROUTES,
  type AbortMultipartUploadRequest,
  type CompleteMultipartUploadRequest,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResponse,
  type FileInfo,
  type MlflowArtifactsRpcName,
  type ProxyListArtifactsResponse,
} from '@capstan/contracts';
import { encodePathSegments, encodeQuery } from '../http/query.js';
import { readJson, type Transport } from '../http/transport.js';
import { assertSafeArtifactPath } from './artifact-uri.js';

/**
 * The artifact proxy (`/api/2.0/mlflow-artifacts`). Paths are relative to the server's artifacts
 * destination, e.g. `1/<run_id>/artifacts/model.bin`. File bodies stream in both directions.
 */
export class ArtifactStore {
  constructor(
    private readonly transport: Transport,
    /** Per-transfer limit for uploads and downloads; 0 means none, since large files take long. */
    private readonly transferTimeoutMs: number,
  ) {}

  /** Direct children of `path`; their `path` fields are names relative to it. */
  async list(path: string): Promise<FileInfo[]> {
    const query = encodeQuery({ path });
    const url = `${this.url('listArtifacts')}${query ? `?${query}` : ''}`;
    const response = await this.transport.send({
      method: 'GET',
      path: url,
      idempotent: true,
      read: (res) => readJson<ProxyListArtifactsResponse>(res, `GET ${url}`),
    });
    return response.files ?? [];
  }

  /** Streams a local file to `remotePath`; the stream is reopened if the request is retried. */
  async upload(localFile: string, remotePath: string): Promise<void> {
    assertSafeArtifactPath(remotePath);
    const info = await stat(localFile);
    if (!info.isFile()) throw new Error(`${localFile} is not a file`);
    await this.transport.send({
      method: 'PUT',
      path: this.url('uploadArtifact', remotePath),
      idempotent: true,
      timeoutMs: this.transferTimeoutMs,
      body: () => ({
        // Node's web stream type and the DOM one that fetch's BodyInit names are the same object.
        data: Readable.toWeb(createReadStream(localFile)) as unknown as ReadableStream<Uint8Array>,
        contentType: 'application/octet-stream',
        streamed: true,
      }),
      read: async (res) => {
        await res.body?.cancel();
      },
    });
  }

  /**
   * Streams `remotePath` into `localFile` through a temporary sibling, so an interrupted download
   * never leaves a truncated file under the real name.
   */
  async download(remotePath: string, localFile: string): Promise<void> {
    assertSafeArtifactPath(remotePath);
    await mkdir(dirname(localFile), { recursive: true });
    const partial = `${localFile}.${process.pid}.partial`;
    try {
      await this.transport.send({
        method: 'GET',
        path: this.url('downloadArtifact', remotePath),
        idempotent: true,
        timeoutMs: this.transferTimeoutMs,
        read: async (res) => {
          if (!res.body) throw new Error(`Empty response body for ${remotePath}`);
          await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(partial));
        },
      });
      await rename(partial, localFile);
    } finally {
      await rm(partial, { force: true });
    }
  }

  createMultipartUpload(req: CreateMultipartUploadRequest): Promise<CreateMultipartUploadResponse> {
    return this.post('createMultipartUpload', req.path, req, false);
  }

  async completeMultipartUpload(req: CompleteMultipartUploadRequest): Promise<void> {
    await this.post('completeMultipartUpload', req.path, req, true);
  }

  async abortMultipartUpload(req: AbortMultipartUploadRequest): Promise<void> {
    await this.post('abortMultipartUpload', req.path, req, true);
  }

  private post<T>(rpc: MlflowArtifactsRpcName, path: string, body: object, idempotent: boolean): Promise<T> {
    const url = this.url(rpc, path);
    return this.transport.send({
      method: 'POST',
      path: url,
      idempotent,
      body: () => ({ data: JSON.stringify(body), contentType: 'application/json' }),
      read: (res) => readJson<T>(res, `POST ${url}`),
    });
  }

  private url(rpc: MlflowArtifactsRpcName, artifactPath = ''): string {
    const path = MLFLOW_ARTIFACTS_ROUTES[rpc].path.replace('{artifact_path}', encodePathSegments(artifactPath));
    return `${MLFLOW_ARTIFACTS_API_PREFIX}${path}`;
  }
}
