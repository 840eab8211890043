import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { invalidParameter } from '../../../core/errors.js';

/**
 * The `MLmodel` descriptor at the root of an MLflow model folder (mlflow/models/model.py,
 * `Model.to_dict` / `Model.from_dict`). MLflow passes unknown keys through (`Model(**kwargs)`),
 * and so does Capstan: a file written by a newer MLflow round-trips without loss.
 */
export interface MlModel {
  artifact_path?: string;
  /** Flavor name -> that flavor's settings (e.g. `onnx: {data: model.onnx, onnx_version: ...}`). */
  flavors: Record<string, Record<string, unknown>>;
  /** MLflow's `Model.from_dict` fills these with None when absent, and `to_dict` may write null. */
  model_uuid?: string | null;
  run_id?: string;
  /** Python's `str(datetime)` of a naive UTC time, e.g. `2025-01-15 10:30:45.123456`. */
  utc_time_created?: string;
  mlflow_version?: string | null;
  /** Each schema is a JSON string (see signature.ts); MLflow writes null for a missing one. */
  signature?: { inputs?: string | null; outputs?: string | null; params?: string | null };
  saved_input_example_info?: SavedInputExampleInfo;
  model_size_bytes?: number;
  [key: string]: unknown;
}

/** `_Example.info` in mlflow/models/utils.py. */
export interface SavedInputExampleInfo {
  /** File name of the example inside the model folder, `input_example.json`. */
  artifact_path: string;
  /** `ndarray`, `dataframe`, `json_object`, `sparse_matrix_csc`, `sparse_matrix_csr`. */
  type: string;
  /** `tf-serving` for ndarray examples. */
  format?: string;
  /** `split` or `values` for dataframe examples. */
  pandas_orient?: string;
  /** MLflow >= 2.17: the same example as a scoring-server request body, `serving_input_example.json`. */
  serving_input_path?: string;
  [key: string]: unknown;
}

export const MLMODEL_FILE_NAME = 'MLmodel';

const mapping = z.record(z.string(), z.unknown());

// Only the keys Capstan reads are typed; everything else passes through untouched.
const mlModelSchema = z.looseObject({
  artifact_path: z.string().optional(),
  flavors: z.record(z.string(), mapping),
  model_uuid: z.string().nullable().optional(),
  run_id: z.string().optional(),
  utc_time_created: z.string().optional(),
  mlflow_version: z.string().nullable().optional(),
  signature: z
    .looseObject({
      inputs: z.string().nullable().optional(),
      outputs: z.string().nullable().optional(),
      params: z.string().nullable().optional(),
    })
    .optional(),
  saved_input_example_info: z.looseObject({ artifact_path: z.string(), type: z.string() }).optional(),
  model_size_bytes: z.number().int().nonnegative().optional(),
});

/**
 * MLflow reads MLmodel with PyYAML's `safe_load`, which speaks YAML 1.1 (`yes` is true, `0o17` is
 * a string). Timestamps are the one 1.1 type left out: Capstan keeps their text, which is what
 * MLflow's `str(datetime)` would give back anyway, instead of a Date that drops microseconds.
 */
function parseYaml11(text: string): unknown {
  return parse(text, {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
}

export function parseMlModel(text: string): MlModel {
  let doc: unknown;
  try {
    doc = parseYaml11(text);
  } catch (err) {
    throw invalidParameter(`The MLmodel file is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    const got = doc === null || doc === undefined ? 'an empty document' : Array.isArray(doc) ? 'a list' : `a ${typeof doc}`;
    throw invalidParameter(`The MLmodel file must be a YAML mapping, got ${got}.`);
  }
  if (!('flavors' in doc) || doc.flavors === null || doc.flavors === undefined) {
    throw invalidParameter('The MLmodel file has no `flavors`: it must say how to load the model.');
  }
  const result = mlModelSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(root)';
    throw invalidParameter(`The MLmodel file is malformed at \`${where}\`: ${issue?.message ?? 'invalid value'}.`);
  }
  if (Object.keys(result.data.flavors).length === 0) {
    throw invalidParameter('The MLmodel file has an empty `flavors` mapping: it must say how to load the model.');
  }
  return result.data;
}

/**
 * YAML that MLflow's `Model.load` reads back to the same dictionary: keys sorted and block style as
 * PyYAML's `safe_dump` writes them (lists not indented under their key), YAML 1.1 quoting so that strings such as `yes` or `on` stay
 * strings for PyYAML, and schema JSON on one line (PyYAML would fold it; both read the same).
 */
/** How PyYAML's `safe_dump(..., default_flow_style=False)` lays YAML out, in YAML 1.1. */
export const YAML_OUTPUT = { version: '1.1', sortMapEntries: true, singleQuote: true, lineWidth: 0, indentSeq: false } as const;

export function serializeMlModel(model: MlModel): string {
  return stringify(model, YAML_OUTPUT);
}
