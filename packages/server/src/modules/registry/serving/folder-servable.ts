import type { ModelSource } from '../../../ports/inference-runtime.js';
import { directoryPackage } from '../package/directory-package.js';
import { readServableMlModel, readServableModel } from '../package/servable-package.js';
import { parseMlflowSignature } from '../package/signature.js';
import type { ServableVersion } from './servable-versions.js';

/**
 * A model package in a local folder as serving sees a registry version: what a standalone
 * `capstan serve` runs, whether the folder was given or downloaded from a registry. The name and
 * version are the caller's (the registry's, or chosen for a plain folder).
 */
export async function folderServable(folder: string, modelName: string, version: number): Promise<ServableVersion> {
  const mlmodel = await readServableMlModel(directoryPackage(folder), `The model package at ${folder}`);
  return { modelName, version, workspace: 'default', location: folder, flavor: 'onnx', signature: parseMlflowSignature(mlmodel.signature) };
}

/** The ONNX model of a version `folderServable` described. */
export function readFolderModel(version: ServableVersion): Promise<ModelSource> {
  return readServableModel(directoryPackage(version.location), `The model package at ${version.location}`);
}
