import type { DatasetInput, Run, RunInfo, RunStatus } from '@capstan/contracts';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { proxyRootFromArtifactUri } from '../artifacts/artifact-uri.js';
import { uploadDirectory, uploadFile } from '../artifacts/run-artifacts.js';
import type { TrackingApi } from '../tracking-api.js';
import { LogBuffer } from './log-buffer.js';
import { toWireDouble } from './metric-value.js';

export type ParamValue = string | number | boolean;

export interface MetricOptions {
  /** Training step; defaults to 0. */
  step?: number;
  /** Unix epoch milliseconds; defaults to now. */
  timestamp?: number;
}

export interface RunHandleOptions {
  /** How long logged values may wait before a background send, in ms. */
  flushIntervalMs: number;
}

/**
 * A live run. Metrics, params and tags are buffered and sent in `log-batch` requests (see
 * LogBuffer), so logging never blocks a training loop; `flush()` and `end()` wait for them and
 * throw the first error the server returned.
 */
export class RunHandle {
  readonly runId: string;
  readonly experimentId: string;
  private readonly buffer: LogBuffer;
  /** No more logging once `end()` was called. */
  private ended = false;
  /** The server recorded the final status; a failed attempt may be retried with `end()`. */
  private terminated = false;

  constructor(
    private readonly api: TrackingApi,
    private readonly store: ArtifactStore,
    private current: Run,
    options: RunHandleOptions,
  ) {
    this.runId = current.info.run_id;
    this.experimentId = current.info.experiment_id;
    this.buffer = new LogBuffer({
      flushIntervalMs: options.flushIntervalMs,
      send: async (batch) => {
        await this.api.logBatch({ run_id: this.runId, ...batch });
      },
    });
  }

  /** Run metadata as of creation, or as returned by `end()`. */
  get info(): RunInfo {
    return this.current.info;
  }

  /** Root URI of the run's artifacts, e.g. `mlflow-artifacts:/1/<run_id>/artifacts`. */
  get artifactUri(): string {
    return this.current.info.artifact_uri ?? '';
  }

  logParam(key: string, value: ParamValue): this {
    this.assertOpen();
    this.buffer.addParam({ key, value: String(value) });
    return this;
  }

  logParams(params: Readonly<Record<string, ParamValue>>): this {
    for (const [key, value] of Object.entries(params)) this.logParam(key, value);
    return this;
  }

  logMetric(key: string, value: number, options: MetricOptions = {}): this {
    this.assertOpen();
    this.buffer.addMetric({ key, value: toWireDouble(value), timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 });
    return this;
  }

  /** Logs several metrics sharing one step and timestamp. */
  logMetrics(metrics: Readonly<Record<string, number>>, options: MetricOptions = {}): this {
    const timestamp = options.timestamp ?? Date.now();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, { ...options, timestamp });
    return this;
  }

  setTag(key: string, value: string): this {
    this.assertOpen();
    this.buffer.addTag({ key, value });
    return this;
  }

  setTags(tags: Readonly<Record<string, string>>): this {
    for (const [key, value] of Object.entries(tags)) this.setTag(key, value);
    return this;
  }

  /** Sends everything logged so far and throws the first error any send hit since the last flush. */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /** Records datasets the run used (sent at once, not buffered). */
  async logInputs(datasets: DatasetInput[]): Promise<void> {
    this.assertOpen();
    await this.api.logInputs({ run_id: this.runId, datasets });
  }

  /** Uploads one file to `<artifactPath>/<file name>` in the run's artifacts, streaming it. */
  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    await uploadFile(this.store, this.artifactRoot(), localFile, artifactPath);
  }

  /** Uploads a whole folder, recursively, under `artifactPath` (the artifact root when absent). */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    await uploadDirectory(this.store, this.artifactRoot(), localDir, artifactPath);
  }

  /**
   * Flushes, then marks the run terminated with `status` and the current time. The status is
   * recorded even when the flush failed; the flush error is thrown afterwards.
   */
  async end(status: RunStatus = 'FINISHED'): Promise<RunInfo> {
    if (this.terminated) throw new Error(`Run ${this.runId} has already ended`);
    this.ended = true;
    let flushError: { error: unknown } | undefined;
    await this.buffer.flush().catch((error: unknown) => {
      flushError = { error };
    });
    const { run_info } = await this.api.updateRun({ run_id: this.runId, status, end_time: Date.now() });
    this.terminated = true;
    this.current = { ...this.current, info: run_info };
    if (flushError) throw flushError.error;
    return run_info;
  }

  private artifactRoot(): string {
    return proxyRootFromArtifactUri(this.artifactUri);
  }

  private assertOpen(): void {
    if (this.ended) throw new Error(`Run ${this.runId} has ended; start a new run to log more`);
  }
}
