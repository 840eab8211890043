import type { Kysely } from 'kysely';
import type { BlobStore } from '../../ports/blob-store.js';
import type { OnnxModelRuntime } from '../../ports/model-runtime.js';
import type { SqlDialect } from '../../ports/sql.js';
import type { AccessControl } from '../security/index.js';
import type { RegistryTables } from './tables.js';

/** What every part of the registry works with; built once by the module factory. */
export interface RegistryContext {
  db: Kysely<RegistryTables>;
  dialect: SqlDialect;
  access: AccessControl;
  /** The artifact URI of a tracking run, to resolve `runs:/<run_id>/path` sources; undefined for an unknown run. */
  runArtifactUri(runId: string): Promise<string | undefined>;
  jsonBodyLimitBytes: number;
  /** The artifact store, to check model packages registered from it. */
  blobs: BlobStore;
  /** Whether `mlflow-artifacts:/` URIs resolve to `blobs` (the server proxies artifacts). */
  serveArtifacts: boolean;
  modelRuntime: OnnxModelRuntime;
  now(): number;
}
