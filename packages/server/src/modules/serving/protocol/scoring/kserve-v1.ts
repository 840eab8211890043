/**
 * KServe's V1 data plane, which follows the TensorFlow Serving REST API:
 * `POST /v1/models/{name}:predict` with `{"instances": [...]}` (row format) or `{"inputs": ...}`
 * (columnar format), answered with `{"predictions": [...]}`, one entry per instance;
 * `GET /v1/models/{name}` answers `{"name", "ready"}`.
 */
import type { ServedVersionView } from '../../engine/inference-engine.js';
import type { Tensor } from '../datatypes.js';
import { describeValue } from '../json-elements.js';
import { badRequest } from './bad-request.js';
import { isRecord, payloadFromTensorField } from './json-payload.js';
import { tensorToNestedJson } from './output-json.js';
import type { ScoringPayload } from './scoring-payload.js';

export interface KserveV1Predictions {
  predictions: unknown;
}

export interface KserveV1ModelStatus {
  name: string;
  ready: boolean;
}

export function kserveV1ModelStatus(view: Pick<ServedVersionView, 'name' | 'ready'>): KserveV1ModelStatus {
  return { name: view.name, ready: view.ready };
}

export function decodeKserveV1(body: unknown): ScoringPayload {
  const required = 'the request must be a JSON object with exactly one of the fields instances or inputs';
  if (!isRecord(body)) return badRequest(`${required}; got ${describeValue(body)}`);
  const hasInstances = Object.hasOwn(body, 'instances');
  if (hasInstances === Object.hasOwn(body, 'inputs')) {
    badRequest(`${required}; got ${hasInstances ? 'both' : 'neither'} (fields sent: ${Object.keys(body).join(', ') || 'none'})`);
  }
  // TF Serving's row format is always a list; its columnar format may name its tensors.
  return hasInstances ? payloadFromTensorField(body.instances, 'instances', false) : payloadFromTensorField(body.inputs, 'inputs', true);
}

/**
 * One output: its value as nested lists, so entry i is instance i's prediction. Several: one
 * object per instance mapping each output name to that instance's slice, as TF Serving's row
 * format and KServe's Python server (a DataFrame's rows) answer; this needs every output to have
 * the batch as its first dimension.
 */
export function encodeKserveV1(outputs: readonly Tensor[]): KserveV1Predictions {
  if (outputs.length === 1) return { predictions: tensorToNestedJson(outputs[0]) };
  const batch = outputs[0]?.shape[0];
  const unbatched = outputs.find((o) => o.shape.length === 0 || o.shape[0] !== batch);
  if (unbatched !== undefined) {
    // The model's outputs cannot be cut into rows: a property of the model, not of the request.
    throw new Error(
      `the KServe v1 format answers one object per instance, but output '${unbatched.name}' (shape ${JSON.stringify(unbatched.shape)}) ` +
        `does not share the batch dimension of '${outputs[0]?.name}' (shape ${JSON.stringify(outputs[0]?.shape)}); ` +
        'use the Open Inference Protocol (/v2/models/{name}/infer) for this model',
    );
  }
  const byOutput = outputs.map((o) => [o.name, tensorToNestedJson(o) as unknown[]] as const);
  return {
    predictions: Array.from({ length: batch ?? 0 }, (_, i) => Object.fromEntries(byOutput.map(([name, rows]) => [name, rows[i]]))),
  };
}
