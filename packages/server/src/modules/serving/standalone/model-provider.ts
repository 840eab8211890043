import { basename, resolve } from 'node:path';

/** One version of the model a standalone server runs, and how to get its package. */
export interface ProvidedVersion {
  readonly name: string;
  readonly version: number;
  /** A local folder holding the version's MLflow model package (fetched on first call if need be). */
  folder(): Promise<string>;
}

/** Where a standalone `capstan serve` process gets its model: a registry, or a folder. */
export interface ModelProvider {
  /** What is served, for logs and errors: `models:/fraud@champion`, or the folder. */
  readonly description: string;
  /** The model's name, known before anything is fetched: the protocols' default model name. */
  readonly name: string;
  /** Whether the version named can change (an alias, a stage, `latest`), so it is worth polling. */
  readonly follows: boolean;
  /** The version named now. */
  current(): Promise<ProvidedVersion>;
}

/**
 * A model package in a local folder (an MLflow model directory: MLmodel plus model.onnx), as
 * `mlflow models serve -m ./model` takes one. It is version 1 of a model named after the folder.
 */
export function folderModelProvider(folder: string, name = basename(resolve(folder))): ModelProvider {
  const path = resolve(folder);
  const version: ProvidedVersion = { name, version: 1, folder: async () => path };
  return { description: path, name, follows: false, current: async () => version };
}
