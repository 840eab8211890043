import { invalidParameter } from '../../../../core/errors.js';
import { requestFields } from '../../../tracking/index.js';
import type { GroundTruthLabel } from '../label-store.js';

/** Labels one call may post; a bigger backfill is split by the client. */
export const MAX_LABELS_PER_CALL = 10_000;

/** The request ids this server issues or accepts from `x-request-id` (see app/create-app.ts). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Reads `{ labels: [{ request_id, label }] }`; any JSON value but null is a label. */
export function parseLabelsBody(input: Readonly<Record<string, unknown>>): GroundTruthLabel[] {
  const labels = input.labels;
  if (labels === undefined || labels === null) throw requestFields.missing('labels');
  if (!Array.isArray(labels)) throw invalidParameter("'labels' must be a list of {request_id, label} objects.");
  if (labels.length > MAX_LABELS_PER_CALL) {
    throw invalidParameter(`A call may post at most ${MAX_LABELS_PER_CALL} labels, got ${labels.length}; split the batch.`);
  }
  return labels.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidParameter(`labels[${i}] must be an object {request_id, label}.`);
    const { request_id: requestId, label } = item as Record<string, unknown>;
    if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
      throw invalidParameter(`labels[${i}].request_id must be a request id: 1 to 128 letters, digits, '_', '.', ':' or '-'.`);
    }
    if (label === undefined || label === null) throw invalidParameter(`labels[${i}].label is missing.`);
    return { requestId, label };
  });
}
