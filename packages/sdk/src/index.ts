/** `@capstan/sdk`: a typed client of Capstan's MLflow-compatible tracking API, for Node scripts. */
// The wire types, so scripts need not depend on @capstan/contracts themselves.
export type * from '@capstan/contracts';
export { CapstanClient, type CapstanClientOptions } from './client.js';
export { TrackingApi, NON_IDEMPOTENT_RPCS } from './tracking-api.js';
export { RunHandle, type MetricOptions, type ParamValue } from './run/run-handle.js';
export type { StartRunOptions } from './run/start-run.js';
export { ArtifactStore } from './artifacts/artifact-store.js';
export { DeploymentsClient, type CanaryCommand } from './serving/deployments-api.js';
export {
  SecurityClient,
  type AuditEventQuery,
  type AuditExportQuery,
  type SecurityJsonRouteName,
  type SecurityRequest,
  type SecurityResponse,
} from './security/security-api.js';
export {
  RegistryClient,
  NON_IDEMPOTENT_REGISTRY_RPCS,
  highestVersion,
  type RegisterModelOptions,
  type ResolvedModel,
} from './registry/registry-api.js';
export type { RegistryRequest, RegistryResponse, RegistryRpcTypes, SearchRegistryQuery } from './registry/registry-types.js';
export { parseModelUri, parseRunsUri, formatRunsUri, type ModelReference } from './registry/model-uri.js';
export { proxyRootFromArtifactUri, joinArtifactPath } from './artifacts/artifact-uri.js';
export { CapstanApiError, CapstanNetworkError, isApiError } from './errors.js';
export { DEFAULT_TRACKING_URL, resolveConnection, resolveWorkspace, type Connection, type ConnectionOptions } from './env.js';
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './http/retry.js';
export type { FetchFn } from './http/transport.js';
export { splitIntoBatches, type BatchItems } from './run/batch-chunker.js';
export * from './monitoring/index.js';
export * from './features/index.js';
// The feature dtype wins over the MLflow wire alias `Int64` (number | string) of the star export above.
export { Int64 } from './features/index.js';
