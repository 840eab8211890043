/** Artifacts of the tracking module: MLflow's artifact proxy and the artifacts/list RPC. */
export { registerArtifactRoutes } from './artifact-routes.js';
export { blobKeyForArtifactUri } from './artifact-uri.js';
export { parseArtifactObjectPath, parseArtifactPath } from './artifact-path.js';
export { toFileInfos } from './file-infos.js';
