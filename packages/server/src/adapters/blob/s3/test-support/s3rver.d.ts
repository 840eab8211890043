/** The slice of s3rver 3.7 (which ships no types) that the S3 test harness uses. */
declare module 's3rver' {
  import type { IncomingMessage } from 'node:http';
  import type { AddressInfo } from 'node:net';

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }

  /** The part of Koa's context the harness reads and writes. */
  export interface S3rverContext {
    readonly method: string;
    /** The raw, still percent-encoded request path. */
    readonly path: string;
    readonly query: Record<string, string | string[] | undefined>;
    readonly req: IncomingMessage;
    status: number;
    body: unknown;
  }

  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export interface S3rverPart {
    number: number;
    /** Already stripped of quotes by s3rver. */
    etag: string;
  }

  export interface S3rverObject {
    readonly key: string;
    readonly size: number;
    readonly lastModifiedDate: Date;
    /** Lower-cased headers; `etag` is already quoted. */
    readonly metadata: Record<string, string>;
  }

  /** Without a delimiter or maxKeys, s3rver returns every key under the prefix after startAfter. */
  export interface S3rverListOptions {
    prefix?: string;
    startAfter?: string;
  }

  export interface S3rverListing {
    objects: S3rverObject[];
    commonPrefixes: string[];
    isTruncated: boolean;
  }

  export interface S3rverStore {
    getBucket(bucket: string): Promise<object | null>;
    listObjects(bucket: string, options: S3rverListOptions): Promise<S3rverListing>;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    putObjectMultipart(bucket: string, uploadId: string, parts: S3rverPart[]): Promise<{ md5: string; size: number }>;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware stack; it is composed when the server starts listening. */
    readonly middleware: S3rverMiddleware[];
    readonly store: S3rverStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

declare module 's3rver/lib/models/error.js' {
  /** s3rver renders only instances of this class as S3 error documents with their own code. */
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
    readonly code: string;
  }
}
