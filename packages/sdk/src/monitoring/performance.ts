import {
  CAPSTAN_API_PREFIX,
  MONITORING_PERFORMANCE_ROUTE,
  type PerformanceReport,
  type PerformanceReportResponse,
  type PerformanceRequest,
  type PostLabelsRequest,
  type PostLabelsResponse,
} from '@capstan/contracts';
import { readJson, type Transport } from '../http/transport.js';

/** The server takes at most this many labels per call; `postLabels` splits bigger batches. */
export const MAX_LABELS_PER_CALL = 10_000;

export type GroundTruth = PostLabelsRequest['labels'][number];

/**
 * Model performance from ground truth that arrives after the prediction: post labels for logged
 * requests (by the `x-request-id` the prediction was made with), then ask for the performance of
 * a deployment's window (`POST /monitoring/performance`): scikit-learn's metrics overall, per time
 * window and segment, label coverage, CBPE estimates against a labelled reference and drift
 * detections on the error stream.
 *
 * ```ts
 * const { performance } = new CapstanClient({ url: 'http://capstan:5000' }).monitoring;
 * await performance.postLabels('fraud', [{ request_id: 'req-1', label: 1 }, { request_id: 'req-2', label: [0, 1] }]);
 * const report = await performance.report({ current: { deployment: 'fraud', from, to }, task: 'classification', prediction: 'label', scores: 'probabilities[1]' });
 * ```
 */
export class PerformanceClient {
  constructor(private readonly transport: Transport) {}

  /**
   * Stores ground truth for logged predictions (a later label for a request replaces the earlier,
   * so a retried call is harmless). A request of n rows takes an array of n labels (null for a row
   * without one). Batches beyond MAX_LABELS_PER_CALL are sent in several calls.
   */
  async postLabels(deployment: string, labels: readonly GroundTruth[]): Promise<PostLabelsResponse> {
    let stored = 0;
    for (let start = 0; start < labels.length; start += MAX_LABELS_PER_CALL) {
      const body: PostLabelsRequest = { labels: labels.slice(start, start + MAX_LABELS_PER_CALL) };
      stored += (await this.#post<PostLabelsResponse>(`/deployments/${encodeURIComponent(deployment)}/labels`, body)).stored;
    }
    return { stored };
  }

  /** The performance report of a deployment's window (see docs/monitoring.md, "Performance API"). */
  async report(request: PerformanceRequest): Promise<PerformanceReport> {
    return (await this.#post<PerformanceReportResponse>(MONITORING_PERFORMANCE_ROUTE.path, request)).performance;
  }

  // Both calls are safe to repeat: labels replace, reports only read.
  #post<T>(path: string, body: unknown): Promise<T> {
    const url = `${CAPSTAN_API_PREFIX}${path}`;
    return this.transport.send({
      method: 'POST',
      path: url,
      idempotent: true,
      body: () => ({ data: JSON.stringify(body), contentType: 'application/json' }),
      read: (response) => readJson<T>(response, `POST ${url}`),
    });
  }
}
