import { posix } from 'node:path';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import { checkInputExample } from './input-example.js';
import { MLMODEL_FILE_NAME, parseMlModel, type MlModel } from './mlmodel.js';
import { externalDataReferences } from './onnx-external-data.js';
import { DEFAULT_ONNX_DATA_PATH } from './package-descriptor.js';
import { signatureFromOnnx, type OnnxExternalDataFile, type OnnxGraphSignature, type OnnxModelRuntime } from './onnx-signature.js';
import { describeSignatureMismatch, parseMlflowSignature, type ModelSignature } from './signature.js';

/** The files of a model package (a folder artifact), by paths relative to its root, `/`-separated. */
export interface PackageFiles {
  list(): Promise<string[]>;
  /** undefined when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
}

export interface ModelPackageInspection {
  mlmodel: MlModel;
  /** The declared signature, or for an ONNX model that declares none, the graph's. */
  signature: ModelSignature | undefined;
  /** `onnx` when the package has that flavor, otherwise its first flavor other than python_function. */
  flavor: 'onnx' | string;
  /** Disagreements a person should see (signature vs graph, input example vs signature), in words. */
  problems: string[];
}

/**
 * Reads a model package the way MLflow would load it and says what is wrong with it.
 *
 * A package that cannot be used at all is rejected with INVALID_PARAMETER_VALUE: no MLmodel, an
 * MLmodel that is not valid, an ONNX model file (or its external data) missing, or a model file
 * onnxruntime will not load. Anything else is reported in `problems`, for the caller to decide.
 * Other flavors than ONNX are taken on their declared signature.
 */
export async function inspectModelPackage(files: PackageFiles, runtime: OnnxModelRuntime): Promise<ModelPackageInspection> {
  const mlmodelBytes = await files.read(MLMODEL_FILE_NAME);
  if (mlmodelBytes === undefined) {
    throw invalidParameter(`The model package has no ${MLMODEL_FILE_NAME} file at its root${await listing(files)}.`);
  }
  const mlmodel = parseMlModel(utf8(MLMODEL_FILE_NAME, mlmodelBytes));
  const flavor = mainFlavor(mlmodel);
  const problems: string[] = [];

  let declared: ModelSignature | undefined;
  try {
    declared = parseMlflowSignature(mlmodel.signature);
  } catch (err) {
    if (!(err instanceof CapstanError)) throw err;
    problems.push(err.message);
  }

  let signature = declared;
  if (flavor === 'onnx') {
    const graph = toModelSignature(await readOnnxGraph(files, mlmodel, runtime));
    if (declared === undefined) {
      signature = graph;
    } else {
      problems.push(...describeSignatureMismatch(declared, graph).map((p) => `The MLmodel signature does not match the model: ${p}.`));
    }
  }

  problems.push(...(await inputExampleProblems(files, mlmodel, signature)));
  return { mlmodel, signature, flavor, problems };
}

function mainFlavor(mlmodel: MlModel): string {
  const names = Object.keys(mlmodel.flavors);
  if (names.includes('onnx')) return 'onnx';
  return names.find((n) => n !== 'python_function') ?? (names[0] as string);
}

function toModelSignature(graph: OnnxGraphSignature): ModelSignature {
  return { inputs: { kind: 'tensor', specs: graph.inputs }, outputs: { kind: 'tensor', specs: graph.outputs } };
}

async function readOnnxGraph(files: PackageFiles, mlmodel: MlModel, runtime: OnnxModelRuntime): Promise<OnnxGraphSignature> {
  const model = await readOnnxModel(files, mlmodel);
  return signatureFromOnnx(model.bytes, runtime, model.externalData);
}

/** An ONNX package's model file and the external-data files it names, as the runtime loads them. */
export interface OnnxModelFiles {
  bytes: Uint8Array;
  externalData: OnnxExternalDataFile[];
}

/**
 * Reads the model file the MLmodel's `flavors.onnx.data` names (MLflow's default `model.onnx`) and
 * its external data, refusing paths that leave the package (INVALID_PARAMETER_VALUE).
 */
export async function readOnnxModel(files: PackageFiles, mlmodel: MlModel): Promise<OnnxModelFiles> {
  const data = mlmodel.flavors.onnx?.data ?? DEFAULT_ONNX_DATA_PATH;
  if (typeof data !== 'string') throw invalidParameter('The MLmodel `flavors.onnx.data` must be the model file name.');
  const modelPath = insidePackage(data, '');
  if (modelPath === undefined) throw invalidParameter(`The MLmodel \`flavors.onnx.data\` (${data}) points outside the model package.`);
  const bytes = await files.read(modelPath);
  if (bytes === undefined) {
    throw invalidParameter(`The MLmodel names the ONNX model file \`${modelPath}\`, which is not in the package${await listing(files)}.`);
  }
  return { bytes, externalData: await readExternalData(files, bytes, posix.dirname(modelPath)) };
}

async function readExternalData(files: PackageFiles, model: Uint8Array, modelDir: string): Promise<OnnxExternalDataFile[]> {
  let references;
  try {
    references = externalDataReferences(model);
  } catch {
    // Not a ModelProto: onnxruntime's load error says so in its own words.
    return [];
  }
  const byLocation = new Map<string, OnnxExternalDataFile>();
  for (const { tensor, location } of references) {
    const path = location === '' ? undefined : insidePackage(location, modelDir);
    if (path === undefined) {
      throw invalidParameter(`The model file keeps tensor \`${tensor}\` in external data at \`${location}\`, which is not a file in the model package.`);
    }
    if (byLocation.has(location)) continue;
    const data = await files.read(path);
    if (data === undefined) {
      throw invalidParameter(`The model file keeps tensor \`${tensor}\` in the external data file \`${path}\`, which is not in the package.`);
    }
    byLocation.set(location, { path: posix.normalize(location), data });
  }
  return [...byLocation.values()];
}

/** A package path for `path` taken relative to `dir`, or undefined when it would leave the package. */
function insidePackage(path: string, dir: string): string | undefined {
  if (path.includes('\\') || posix.isAbsolute(path)) return undefined;
  const joined = posix.normalize(posix.join(dir, path));
  if (joined === '..' || joined.startsWith('../') || joined === '.') return undefined;
  return joined;
}

async function inputExampleProblems(files: PackageFiles, mlmodel: MlModel, signature: ModelSignature | undefined): Promise<string[]> {
  const info = mlmodel.saved_input_example_info;
  if (info === undefined) return [];
  const path = insidePackage(info.artifact_path, '');
  const bytes = path === undefined ? undefined : await files.read(path);
  if (bytes === undefined) {
    return [`The MLmodel names the input example \`${info.artifact_path}\`, which is not in the package.`];
  }
  let text: string;
  try {
    text = utf8(info.artifact_path, bytes);
  } catch (err) {
    return [(err as Error).message];
  }
  return checkInputExample(info, text, signature);
}

function utf8(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidParameter(`The model package's \`${path}\` is not UTF-8 text.`);
  }
}

/** A short listing for error messages, so a misplaced file is easy to spot. */
async function listing(files: PackageFiles): Promise<string> {
  const all = await files.list();
  if (all.length === 0) return ' (the package is empty)';
  const shown = all.slice(0, 10).join(', ');
  return ` (it holds ${shown}${all.length > 10 ? `, and ${all.length - 10} more` : ''})`;
}
