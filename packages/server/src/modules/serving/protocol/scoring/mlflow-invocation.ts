/**
 * MLflow's scoring protocol (`POST /invocations`, mlflow/pyfunc/scoring_server): a JSON object
 * with exactly one of dataframe_split, dataframe_records, instances or inputs (plus optional
 * params), or a CSV table. Answers `{"predictions": ...}`. Failures are ServingError(400); the
 * route renders them as MLflow's `{"error_code": "BAD_REQUEST", "message": ...}`.
 */
import type { Tensor } from '../datatypes.js';
import { describeValue } from '../json-elements.js';
import type { Parameters } from '../oip-types.js';
import { ServingError } from '../../engine/inference-engine.js';
import { badRequest } from './bad-request.js';
import { tableFromCsv } from './csv-table.js';
import { isRecord, payloadFromSplit, payloadFromTensorField, tableFromRecords } from './json-payload.js';
import { tensorToNestedJson } from './output-json.js';
import type { ScoringPayload } from './scoring-payload.js';

export interface MlflowInvocation {
  payload: ScoringPayload;
  /** The request's `params` (MLflow ≥ 2.6), passed to the model as inference parameters. */
  params?: Parameters;
}

export interface MlflowPredictions {
  predictions: unknown;
}

const INPUT_FIELDS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

/** JSON or CSV, as MLflow's scoring server reads; any other media type is a 415, as there. */
function mediaTypeOf(contentType: string): 'json' | 'csv' {
  const [mime = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  for (const parameter of parameters.filter((p) => p !== '')) {
    const [key = '', value = ''] = parameter.split('=', 2).map((s) => s.trim());
    if (key.toLowerCase() !== 'charset') {
      // MLflow 1.x clients sent `format=pandas-split`; MLflow 2 rejects every parameter but charset.
      badRequest(`content type parameter '${key}' is not supported; MLflow's scoring protocol takes only charset=utf-8`);
    }
    if (value.replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') badRequest(`the scoring server only reads UTF-8; got charset=${value}`);
  }
  switch (mime.toLowerCase()) {
    case 'application/json':
      return 'json';
    case 'text/csv':
      return 'csv';
    default:
      throw new ServingError(415, `content type '${contentType}' is not supported; send application/json or text/csv`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text when the route hands it over unparsed (a string or the raw bytes). */
function textOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (!(body instanceof Uint8Array)) return undefined;
  try {
    return utf8.decode(body);
  } catch {
    return badRequest('the body is not valid UTF-8');
  }
}

function parseParams(value: unknown): Parameters | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return badRequest(`params must be an object of parameter name to value; got ${describeValue(value)}`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      badRequest(`params.${key} must be a string, number or boolean; got ${describeValue(v)}`);
    }
  }
  return value as Parameters;
}

function decodeJson(body: unknown): MlflowInvocation {
  const text = textOf(body);
  let json: unknown = body;
  if (text !== undefined) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      badRequest(`the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const required = `the input must be a JSON object with exactly one of the fields ${INPUT_FIELDS.join(', ')}`;
  if (!isRecord(json)) return badRequest(`${required}; got ${describeValue(json)}`);
  const present = INPUT_FIELDS.filter((field) => Object.hasOwn(json, field));
  if (present.length !== 1) {
    badRequest(`${required}; got ${present.length === 0 ? 'none' : present.join(' and ')} (fields sent: ${Object.keys(json).join(', ') || 'none'})`);
  }
  const field = present[0];
  const value = json[field];
  const params = parseParams(json.params);
  let payload: ScoringPayload;
  switch (field) {
    case 'dataframe_split':
      payload = payloadFromSplit(value, field);
      break;
    case 'dataframe_records':
      if (!Array.isArray(value)) return badRequest(`dataframe_records must be a list of row objects; got ${describeValue(value)}`);
      payload = tableFromRecords(value, field);
      break;
    default:
      payload = payloadFromTensorField(value, field, true);
  }
  return params === undefined ? { payload } : { payload, params };
}

/** `body` is the parsed JSON, or the raw text (or bytes) the route did not parse. */
export function decodeMlflowInvocation(body: unknown, contentType: string): MlflowInvocation {
  if (mediaTypeOf(contentType) === 'json') return decodeJson(body);
  const text = textOf(body);
  if (text === undefined) return badRequest(`a text/csv body must be text; got ${describeValue(body)}`);
  return { payload: tableFromCsv(text) };
}

/**
 * One output: its value as nested lists (a flat list for a 1-D output). Several: an object of
 * them by output name, as MLflow's ONNX pyfunc returns a dict of arrays and the scoring server
 * serializes it.
 */
export function encodeMlflowPredictions(outputs: readonly Tensor[]): MlflowPredictions {
  if (outputs.length === 1) return { predictions: tensorToNestedJson(outputs[0]) };
  return { predictions: Object.fromEntries(outputs.map((o) => [o.name, tensorToNestedJson(o)])) };
}
