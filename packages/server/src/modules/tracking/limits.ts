import { posix } from 'node:path';
import { invalidParameter } from '../../core/errors.js';

/** MLflow's limits (mlflow/utils/validation.py, MLflow 2.x/3.x), enforced with INVALID_PARAMETER_VALUE. */
export const LIMITS = {
  metricsPerBatch: 1000,
  paramsTagsPerBatch: 100,
  entitiesPerBatch: 1000,
  datasetsPerBatch: 1000,
  batchRequestBytes: 1_000_000,
  paramValueLength: 6000,
  tagValueLength: 8000,
  entityKeyLength: 250,
  experimentNameLength: 500,
  experimentTagKeyLength: 250,
  experimentTagValueLength: 5000,
  datasetNameLength: 500,
  datasetDigestLength: 36,
  datasetSchemaLength: 1_048_575,
  datasetSourceLength: 65_535,
  datasetProfileLength: 16_777_215,
  inputTagKeyLength: 255,
  inputTagValueLength: 500,
  searchRunsDefault: 1000,
  searchRunsMax: 50_000,
  searchExperimentsDefault: 1000,
  searchExperimentsMax: 50_000,
} as const;

/** Slashes, alphanumerics, underscores, periods, dashes, spaces and (MLflow >= 2.13) colons. */
const VALID_NAME = /^[/\w.\- :]*$/u;
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

type Entity = 'metric' | 'parameter' | 'tag';

/**
 * Metric, param and tag keys may become file names in artifact layouts, so MLflow rejects keys that
 * would normalise to another path.
 */
export function validateKey(entity: Entity, key: string | undefined): string {
  if (key === undefined || key === '') {
    const label = entity === 'parameter' ? 'Parameter' : entity === 'metric' ? 'Metric' : 'Tag';
    throw invalidParameter(`${label} name cannot be None. A key name must be provided.`);
  }
  if (!VALID_NAME.test(key)) throw invalidParameter(`Invalid ${entity} name: '${key}'. ${BAD_CHARACTERS}`);
  const norm = posix.normalize(key);
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw invalidParameter(
      `Invalid ${entity} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
    );
  }
  return key;
}

export function validateLength(what: string, limit: number, value: string): string {
  if (value.length > limit) {
    throw invalidParameter(`${what} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`);
  }
  return value;
}

export function validateBatchLimit(entityName: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${entityName}. Got ${length} ${entityName}. Please split up ${entityName} across multiple requests and try again.`,
    );
  }
}

export function validateExperimentName(name: string | undefined): string {
  if (name === undefined || name === '') throw invalidParameter(`Invalid experiment name: '${name ?? ''}'`);
  if (name.length > LIMITS.experimentNameLength) {
    throw invalidParameter(`Experiment name exceeds the maximum length of ${LIMITS.experimentNameLength} characters`);
  }
  return name;
}

export function validateMaxResults(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (value <= 0 || value > max) {
    throw invalidParameter(`Invalid value ${value} for parameter 'max_results' supplied. It must be at most ${max}, and greater than 0.`);
  }
  return value;
}
