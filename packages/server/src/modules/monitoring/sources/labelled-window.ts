import { notFound } from '../../../core/errors.js';
import type { InferenceWindowPage, LabeledInferenceRecord } from '../../serving/index.js';
import type { SourceDeps } from './resolve-source.js';

/** One logged row with what performance needs of it; values are as logged (JSON). */
export interface LabelledRow {
  readonly requestId: string;
  /** When the request was logged, epoch ms. */
  readonly at: number;
  /** Position of the row within its request. */
  readonly row: number;
  readonly prediction: unknown;
  /** One value per requested score column. */
  readonly scores: readonly unknown[];
  /** The `segmentBy` input's value (null when the request did not log it); undefined without segmentBy. */
  readonly segment?: unknown;
  /** Whether a label applies to this row; `label` is then its value. */
  readonly labelled: boolean;
  readonly label?: unknown;
}

export interface LabelledWindow {
  /** Rows in log order (time, then log id, then row). */
  readonly rows: LabelledRow[];
  readonly requests: number;
  /** Requests with a label (at least one labelled row). */
  readonly labelledRequests: number;
}

export interface LabelledWindowColumns {
  /** Output column holding the prediction. */
  readonly prediction: string;
  /** Output columns holding scores. */
  readonly scores: readonly string[];
  /** Input column to segment by. */
  readonly segmentBy?: string;
}

const PAGE = 1000;

/**
 * A deployment's logged predictions in `[from, to)` joined with their labels, one entry per row.
 *
 * How a request's label applies to its rows: a request that logged one row takes a single value
 * (or an array of one); a request of n rows takes an array of n values, one per row in order, where
 * null leaves that row without a label. Anything else (an array of another length, a single value
 * for several rows, an object) is refused with the request id, as are output columns no request
 * logged and requests that lack a named output. Refuses windows beyond `maxWindowRows` rows.
 *
 * `side` names the body field (`current`, `reference`) in the messages of LabelledWindowError.
 */
export async function readLabelledWindow(
  deps: SourceDeps,
  window: { deployment: string; from: number; to: number },
  columns: LabelledWindowColumns,
  side: string,
): Promise<LabelledWindow> {
  if ((await deps.deploymentWorkspace(window.deployment)) === undefined) throw notFound(`Deployment '${window.deployment}' not found`);
  const outputs = [columns.prediction, ...columns.scores];
  const seenOutputs = new Set<string>();
  const seenInputs = new Set<string>();
  const found = new Set<string>();
  let lacking: { output: string; record: LabeledInferenceRecord } | undefined;
  let segmentSeen = false;
  const rows: LabelledRow[] = [];
  let requests = 0;
  let labelledRequests = 0;
  let after: InferenceWindowPage['next'];
  do {
    const page = await deps.readWindow({ deployment: window.deployment, from: window.from, to: window.to, limit: PAGE, ...(after ? { after } : {}) });
    for (const record of page.records) {
      requests++;
      for (const name of Object.keys(record.outputs)) seenOutputs.add(name);
      for (const name of Object.keys(record.inputs)) seenInputs.add(name);
      const missing = outputs.find((name) => !(name in record.outputs));
      for (const name of outputs) if (name in record.outputs) found.add(name);
      if (missing !== undefined) {
        lacking ??= { output: missing, record };
        continue;
      }
      const columnOf = (name: string, part: 'outputs' | 'inputs'): unknown[] => {
        const values = record[part][name]!;
        if (values.length !== record.rows) {
          throw new LabelledWindowError(`${side}: ${part === 'outputs' ? 'output' : 'input'} '${name}' of request '${record.requestId}' holds ${values.length} values for ${record.rows} rows`);
        }
        const nested = values.findIndex((v) => v !== null && typeof v === 'object');
        if (nested >= 0) {
          throw new LabelledWindowError(`${side}: ${part === 'outputs' ? 'output' : 'input'} '${name}' holds arrays (request '${record.requestId}' row ${nested}): name a column with one value per row`);
        }
        return values;
      };
      const predictions = columnOf(columns.prediction, 'outputs');
      const scores = columns.scores.map((name) => columnOf(name, 'outputs'));
      let segments: unknown[] | undefined;
      if (columns.segmentBy !== undefined && columns.segmentBy in record.inputs) {
        segmentSeen = true;
        segments = columnOf(columns.segmentBy, 'inputs');
      }
      const labels = rowLabels(record, side);
      if (labels?.some((l) => l !== undefined)) labelledRequests++;
      for (let i = 0; i < record.rows; i++) {
        const label = labels?.[i];
        rows.push({
          requestId: record.requestId,
          at: record.at,
          row: i,
          prediction: predictions[i],
          scores: scores.map((s) => s[i]),
          ...(columns.segmentBy !== undefined ? { segment: segments ? segments[i] : null } : {}),
          labelled: label !== undefined,
          ...(label !== undefined ? { label } : {}),
        });
      }
      if (rows.length > deps.maxWindowRows) {
        throw new LabelledWindowError(`${side}: the window of deployment '${window.deployment}' holds more than ${deps.maxWindowRows} logged rows; narrow from/to`);
      }
    }
    after = page.next;
  } while (after);

  const list = (names: Set<string>) => (names.size ? [...names].sort().map((n) => `'${n}'`).join(', ') : 'none');
  for (const name of outputs) {
    if (requests > 0 && !found.has(name)) {
      throw new LabelledWindowError(`${side}: no request in the window logged an output '${name}'; the logged outputs are ${list(seenOutputs)}`);
    }
  }
  if (lacking) {
    const { output, record } = lacking;
    throw new LabelledWindowError(`${side}: request '${record.requestId}' logged no output '${output}' (its outputs are ${list(new Set(Object.keys(record.outputs)))})`);
  }
  if (columns.segmentBy !== undefined && requests > 0 && !segmentSeen) {
    throw new LabelledWindowError(`${side}: segment_by names '${columns.segmentBy}', which no request in the window logged as an input; the logged inputs are ${list(seenInputs)}`);
  }
  return { rows, requests, labelledRequests };
}

/** The label of each row of a record (undefined: no label), or undefined when none was posted. */
function rowLabels(record: LabeledInferenceRecord, side: string): (unknown | undefined)[] | undefined {
  if (!('label' in record)) return undefined;
  const { label, requestId, rows } = record;
  const how = `label a request of n rows with an array of n values (null for a row without a label), a single-row request with one value`;
  if (Array.isArray(label)) {
    if (label.length !== rows) {
      throw new LabelledWindowError(`${side}: the label of request '${requestId}' is an array of ${label.length} values but the request logged ${rows} row${rows === 1 ? '' : 's'}: ${how}`);
    }
    return label.map((value, i) => {
      if (value !== null && typeof value === 'object') {
        throw new LabelledWindowError(`${side}: the label of request '${requestId}' row ${i} is ${Array.isArray(value) ? 'an array' : 'an object'}: a row's label is one number, string or boolean`);
      }
      return value ?? undefined;
    });
  }
  if (label !== null && typeof label === 'object') {
    throw new LabelledWindowError(`${side}: the label of request '${requestId}' is an object: ${how}`);
  }
  if (rows !== 1) {
    throw new LabelledWindowError(`${side}: the label of request '${requestId}' is a single value but the request logged ${rows} rows: ${how}`);
  }
  return [label ?? undefined];
}

/** A window that cannot be read as labelled predictions (the route answers 400 with the message). */
export class LabelledWindowError extends Error {
  override readonly name = 'LabelledWindowError';
}
