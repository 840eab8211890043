import { invalidParameter } from '../../core/errors.js';
import { artifactLocations } from '../tracking/index.js';
import { blobPackage } from './package/blob-package.js';
import { inspectModelPackage } from './package/inspect-package.js';
import { MLMODEL_FILE_NAME } from './package/mlmodel.js';
import { toMlflowSignature } from './package/signature.js';
import type { RegistryContext } from './registry-context.js';

export interface PackageFacts {
  flavor: string;
  /** MLflow's signature fields as JSON, or null when the package has none and none could be read. */
  signature: string | null;
}

/**
 * Checks a version's package before it is registered, when its files are in the store this server
 * proxies: the MLmodel must parse, an ONNX model must load in onnxruntime and match its declared
 * signature (or give one, read from the graph, when none is declared), and the input example must
 * fit. A source elsewhere (another bucket, a URI the server cannot read) or a folder without an
 * MLmodel is registered as MLflow would, unchecked.
 */
export async function checkModelPackage(ctx: RegistryContext, resolvedSource: string): Promise<PackageFacts | undefined> {
  const root = artifactLocations.blobKeyForArtifactUri(resolvedSource);
  if (root === undefined || !ctx.serveArtifacts) return undefined;
  if ((await ctx.blobs.stat(root ? `${root}/${MLMODEL_FILE_NAME}` : MLMODEL_FILE_NAME)) === undefined) return undefined;
  const inspection = await inspectModelPackage(blobPackage(ctx.blobs, root), ctx.modelRuntime).catch((err: unknown) => {
    throw invalidParameter(`The model package at ${resolvedSource} cannot be registered: ${(err as Error).message}`);
  });
  if (inspection.problems.length) {
    throw invalidParameter(`The model package at ${resolvedSource} cannot be registered: ${inspection.problems.join(' ')}`);
  }
  return { flavor: inspection.flavor, signature: inspection.signature ? JSON.stringify(toMlflowSignature(inspection.signature)) : null };
}
