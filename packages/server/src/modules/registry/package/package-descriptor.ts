import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { YAML_OUTPUT, type MlModel, type SavedInputExampleInfo } from './mlmodel.js';
import { pythonJson } from './python-json.js';
import { toMlflowSignature, type ModelSignature } from './signature.js';

/**
 * Writing an ONNX model package the way MLflow 2.19's `mlflow.onnx.log_model` lays it out
 * (mlflow/onnx/__init__.py `save_model`, mlflow/pyfunc `add_to_model`, mlflow/models/utils.py
 * `_Example`), so that `mlflow.pyfunc.load_model` and `mlflow.onnx.load_model` read it unchanged.
 */

/**
 * Recorded as `mlflow_version`. The layout written here is MLflow 2.19's; MLflow 2.x and 3.x both
 * load it, and the environment files pin this MLflow so a restored environment matches.
 */
export const MLFLOW_COMPAT_VERSION = '2.19.0';
/** The Python `onnx` and `onnxruntime` a restored environment installs (compatible with MLflow 2.19 on Python 3.9-3.12). */
export const ONNX_PACKAGE_VERSION = '1.17.0';
export const ONNXRUNTIME_PACKAGE_VERSION = '1.20.1';
export const PYTHON_VERSION = '3.11.9';
const PIP_VERSION = '24.0';
const SETUPTOOLS_VERSION = '69.5.1';
const WHEEL_VERSION = '0.43.0';
/** mlflow.onnx's default `providers`: GPU when there is one. */
export const ONNX_EXECUTION_PROVIDERS = ['CUDAExecutionProvider', 'CPUExecutionProvider'] as const;
/** Where `mlflow.onnx.save_model` puts the model file (`_MODEL_DATA_SUBPATH`). */
export const DEFAULT_ONNX_DATA_PATH = 'model.onnx';

export const CONDA_ENV_FILE = 'conda.yaml';
export const PYTHON_ENV_FILE = 'python_env.yaml';
export const REQUIREMENTS_FILE = 'requirements.txt';
export const INPUT_EXAMPLE_FILE = 'input_example.json';
export const SERVING_INPUT_EXAMPLE_FILE = 'serving_input_example.json';

export interface OnnxDescriptorOptions {
  /** Usually the graph's (signatureFromOnnx); without it the MLmodel has no signature block. */
  signature?: ModelSignature;
  /** From `inputExampleFiles`, when the package carries an example. */
  inputExample?: SavedInputExampleInfo;
  /** Size of the model file(s) and examples; MLflow measures the folder before writing MLmodel. */
  modelSizeBytes?: number;
  dataPath?: string;
  /** `log_model` sets both; a package saved outside a run has neither. */
  artifactPath?: string;
  runId?: string;
  modelUuid?: string;
  createdAt?: Date;
  onnxVersion?: string;
  pythonVersion?: string;
}

/** The MLmodel of an ONNX model package, with the onnx and python_function flavors. */
export function writeModelPackageDescriptor(options: OnnxDescriptorOptions = {}): MlModel {
  const data = options.dataPath ?? DEFAULT_ONNX_DATA_PATH;
  return {
    ...(options.artifactPath === undefined ? {} : { artifact_path: options.artifactPath }),
    ...(options.runId === undefined ? {} : { run_id: options.runId }),
    flavors: {
      // pyfunc.add_to_model: the loader, the Python it was saved with, the data, the environments.
      python_function: {
        loader_module: 'mlflow.onnx',
        python_version: options.pythonVersion ?? PYTHON_VERSION,
        data,
        env: { conda: CONDA_ENV_FILE, virtualenv: PYTHON_ENV_FILE },
      },
      // Model.add_flavor writes every keyword, None included.
      onnx: {
        onnx_version: options.onnxVersion ?? ONNX_PACKAGE_VERSION,
        data,
        providers: [...ONNX_EXECUTION_PROVIDERS],
        onnx_session_options: null,
        code: null,
      },
    },
    model_uuid: options.modelUuid ?? randomUUID().replaceAll('-', ''),
    mlflow_version: MLFLOW_COMPAT_VERSION,
    utc_time_created: pythonUtcTime(options.createdAt ?? new Date()),
    ...(options.signature === undefined ? {} : { signature: toMlflowSignature(options.signature) }),
    ...(options.inputExample === undefined ? {} : { saved_input_example_info: options.inputExample }),
    ...(options.modelSizeBytes === undefined ? {} : { model_size_bytes: options.modelSizeBytes }),
  };
}

/**
 * Python's `str(datetime)` of a naive UTC time, as MLflow records `utc_time_created`:
 * `2025-01-15 10:30:45.123000`, without the fraction when it is zero.
 */
function pythonUtcTime(date: Date): string {
  const iso = date.toISOString(); // 2025-01-15T10:30:45.123Z
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}`;
}

/**
 * The files of an ndarray input example (one array, or arrays by input name): `input_example.json`
 * for `Model.load_input_example`, and MLflow 2.17+'s `serving_input_example.json`, the same data as
 * a scoring-server request body. Returns the MLmodel's `saved_input_example_info` with them.
 */
export function inputExampleFiles(inputs: unknown[] | Record<string, unknown[]>): {
  info: SavedInputExampleInfo;
  files: Record<string, string>;
} {
  const body = { inputs };
  return {
    info: { artifact_path: INPUT_EXAMPLE_FILE, type: 'ndarray', format: 'tf-serving', serving_input_path: SERVING_INPUT_EXAMPLE_FILE },
    files: {
      [INPUT_EXAMPLE_FILE]: pythonJson(body),
      [SERVING_INPUT_EXAMPLE_FILE]: JSON.stringify(body, null, 2),
    },
  };
}

/**
 * conda.yaml, python_env.yaml and requirements.txt, which the python_function flavor's `env`
 * points to and `mlflow models serve` / `env_manager=virtualenv` restore.
 */
export function environmentFiles(options: { pythonVersion?: string; requirements?: readonly string[] } = {}): Record<string, string> {
  const python = options.pythonVersion ?? PYTHON_VERSION;
  const requirements = options.requirements ?? [
    `mlflow==${MLFLOW_COMPAT_VERSION}`,
    `onnx==${ONNX_PACKAGE_VERSION}`,
    `onnxruntime==${ONNXRUNTIME_PACKAGE_VERSION}`,
  ];
  const conda = {
    name: 'mlflow-env',
    channels: ['conda-forge'],
    dependencies: [`python=${python}`, `pip<=${PIP_VERSION}`, { pip: [...requirements] }],
  };
  // `_PythonEnv.to_yaml` keeps its own key order (sort_keys=False).
  const pythonEnv = {
    python,
    build_dependencies: [`pip==${PIP_VERSION}`, `setuptools==${SETUPTOOLS_VERSION}`, `wheel==${WHEEL_VERSION}`],
    dependencies: [`-r ${REQUIREMENTS_FILE}`],
  };
  return {
    [CONDA_ENV_FILE]: stringify(conda, YAML_OUTPUT),
    [PYTHON_ENV_FILE]: stringify(pythonEnv, { ...YAML_OUTPUT, sortMapEntries: false }),
    [REQUIREMENTS_FILE]: requirements.join('\n'),
  };
}
