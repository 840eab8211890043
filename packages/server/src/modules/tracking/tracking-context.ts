import type { Kysely } from 'kysely';
import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { SqlDialect } from '../../ports/sql.js';
import type { AccessControl, AccessRule } from '../security/index.js';
import type { MlflowRpcName } from '@capstan/contracts';
import type { ArtifactRules, TrackingLocators } from './access/access-types.js';
import type { TrackingTables } from './tables.js';

/** What every part of the tracking module works with; built once by the module factory. */
export interface TrackingContext {
  db: Kysely<TrackingTables>;
  dialect: SqlDialect;
  blobs: BlobStore;
  logger: Logger;
  /** Root of new experiments' artifact locations, e.g. `mlflow-artifacts:/` or `s3://bucket/path`. */
  defaultArtifactRoot: string;
  /** Whether /api/2.0/mlflow-artifacts proxies artifacts to `blobs`. */
  serveArtifacts: boolean;
  /** Largest JSON body of bulk RPCs (log-batch...), in bytes; other RPCs take at most 1 MiB of it. */
  jsonBodyLimitBytes: number;
  /** Largest single upload through the artifact proxy, in bytes. */
  artifactUploadLimitBytes: number;
  now(): number;
  /** Access control: search filtering, creator grants, audit notes, signed part URLs. */
  access: AccessControl;
  /** Each RPC's access rule (access/tracking-rules.ts). */
  rules: Record<MlflowRpcName, AccessRule>;
  artifactRules: ArtifactRules;
  locate: TrackingLocators;
}

export type TrackingDb = Kysely<TrackingTables>;
