import { invalidParameter } from '../../../core/errors.js';
import {
  missing,
  objectList,
  optionalBool,
  optionalEnum,
  optionalInt64,
  optionalString,
  requiredString,
  stringList,
  type RequestInput,
} from '../http/request-fields.js';
import { parseExperimentId } from '../experiments/experiment-store.js';
import type { LoggedModelDatasetFilter, LoggedModelOrderBy, LoggedModelSearchQuery } from '../search/index.js';
import type { FinalStatus } from './logged-model-store.js';
import type { KeyValue } from './logged-model-validation.js';

/** Proto enum `LoggedModelStatus`, indexed by number: proto-JSON accepts either spelling. */
const STATUS_NAMES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;

const FINAL_STATUSES: readonly string[] = ['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] satisfies FinalStatus[];

/** `SearchLoggedModels.max_results [default = 50]`: what MLflow's handler reads when the field is absent. */
const PROTO_DEFAULT_MAX_RESULTS = 50;

/** Repeated LoggedModelTag / LoggedModelParameter: a key is required, a missing value is ''. */
export function readKeyValues(input: RequestInput, field: 'tags' | 'params'): KeyValue[] {
  return objectList(input, field).map((kv) => ({ key: requiredString(kv, 'key'), value: optionalString(kv, 'value') ?? '' }));
}

/** FinalizeLoggedModel.status: required, and only READY or UPLOAD_FAILED end a model's upload. */
export function readFinalStatus(input: RequestInput): FinalStatus {
  const raw = input.status;
  if (raw === undefined || raw === null || raw === '') throw missing('status');
  const byNumber = typeof raw === 'number' && Number.isInteger(raw) ? STATUS_NAMES[raw] : undefined;
  const status = byNumber ?? optionalEnum(input, 'status', STATUS_NAMES);
  if (status === undefined || !FINAL_STATUSES.includes(status)) {
    throw invalidParameter(
      `Invalid status '${String(status)}' for finalizing a logged model: it must be LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.`,
    );
  }
  return status as FinalStatus;
}

/**
 * SearchLoggedModels as MLflow's handler reads it: experiment_ids must be present (an empty list
 * finds nothing), an absent max_results is the proto default of 50 while an explicit 0 falls
 * through to the store's default, and order_by entries keep only the fields that were sent.
 */
export function readSearchQuery(input: RequestInput): LoggedModelSearchQuery {
  if (input.experiment_ids === undefined || input.experiment_ids === null) throw missing('experiment_ids');
  const maxResults = optionalInt64(input, 'max_results');
  const query: LoggedModelSearchQuery = {
    // Ids that are not experiment ids cannot match any model.
    experimentIds: stringList(input, 'experiment_ids').flatMap((id) => parseExperimentId(id) ?? []),
    datasets: objectList(input, 'datasets').map(readDataset),
    orderBy: objectList(input, 'order_by').map(readOrderBy),
  };
  if (maxResults === undefined) query.maxResults = PROTO_DEFAULT_MAX_RESULTS;
  else if (maxResults !== 0) query.maxResults = maxResults;
  const filter = optionalString(input, 'filter');
  if (filter) query.filter = filter;
  const pageToken = optionalString(input, 'page_token');
  if (pageToken) query.pageToken = pageToken;
  return query;
}

function readDataset(d: RequestInput): LoggedModelDatasetFilter {
  // An empty name reaches the search, which rejects it with MLflow's message.
  const dataset: LoggedModelDatasetFilter = { dataset_name: optionalString(d, 'dataset_name') ?? '' };
  const digest = optionalString(d, 'dataset_digest');
  if (digest) dataset.dataset_digest = digest;
  return dataset;
}

function readOrderBy(o: RequestInput): LoggedModelOrderBy {
  const entry: LoggedModelOrderBy = { field_name: optionalString(o, 'field_name') ?? '' };
  const ascending = optionalBool(o, 'ascending');
  if (ascending !== undefined) entry.ascending = ascending;
  const datasetName = optionalString(o, 'dataset_name');
  if (datasetName) entry.dataset_name = datasetName;
  const datasetDigest = optionalString(o, 'dataset_digest');
  if (datasetDigest) entry.dataset_digest = datasetDigest;
  return entry;
}
