import { invalidParameter } from '../../../core/errors.js';
import { readOnnxModel, type OnnxModelFiles, type PackageFiles } from './inspect-package.js';
import { MLMODEL_FILE_NAME, parseMlModel, type MlModel } from './mlmodel.js';

/**
 * The MLmodel of a package that serving is asked to run, refused in words when there is none or
 * it has no ONNX flavor (the only one Capstan serves). `label` names the package in errors.
 */
export async function readServableMlModel(files: PackageFiles, label: string): Promise<MlModel> {
  const bytes = await files.read(MLMODEL_FILE_NAME);
  if (bytes === undefined) throw invalidParameter(`${label} has no ${MLMODEL_FILE_NAME} file at its root.`);
  const mlmodel = parseMlModel(Buffer.from(bytes).toString('utf8'));
  if (!mlmodel.flavors.onnx) {
    throw invalidParameter(`${label} is a ${Object.keys(mlmodel.flavors).join('/')} model; Capstan serves ONNX models (the onnx flavor).`);
  }
  return mlmodel;
}

/** The ONNX model file (and its external data) of a servable package. */
export async function readServableModel(files: PackageFiles, label: string): Promise<OnnxModelFiles> {
  return readOnnxModel(files, await readServableMlModel(files, label));
}
