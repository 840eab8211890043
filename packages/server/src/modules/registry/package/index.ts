/** The model package: MLflow's MLmodel format, signatures, and what an ONNX model file really has. */
export { parseMlModel, serializeMlModel, MLMODEL_FILE_NAME, type MlModel, type SavedInputExampleInfo } from './mlmodel.js';
export {
  describeSignatureMismatch,
  parseMlflowSignature,
  toMlflowSignature,
  type ColumnSpec,
  type MlflowSignatureFields,
  type ModelSignature,
  type SignatureSchema,
  type TensorSpec,
} from './signature.js';
export {
  graphSignatureFromMetadata,
  loadCheck,
  signatureFromOnnx,
  type OnnxExternalDataFile,
  type OnnxGraphSignature,
  type OnnxModelMetadata,
  type OnnxModelRuntime,
  type OnnxValueMetadata,
} from './onnx-signature.js';
export { externalDataReferences, type ExternalDataReference } from './onnx-external-data.js';
export { inspectModelPackage, readOnnxModel, type ModelPackageInspection, type OnnxModelFiles, type PackageFiles } from './inspect-package.js';
export {
  environmentFiles,
  inputExampleFiles,
  writeModelPackageDescriptor,
  MLFLOW_COMPAT_VERSION,
  type OnnxDescriptorOptions,
} from './package-descriptor.js';
