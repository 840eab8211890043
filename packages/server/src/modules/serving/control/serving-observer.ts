import type { Tensor } from '../protocol/datatypes.js';
import type { InferenceObserver, ServedEvent, ShadowEvent } from '../engine/serving-engine.js';
import type { InferenceLogWriter } from '../observability/inference-log-writer.js';
import type { ServingMetrics } from '../observability/serving-metrics.js';
import { tensorColumns } from '../observability/tensor-columns.js';
import { createShadowComparison, type ShadowComparison, type ShadowComparisonSnapshot } from '../traffic/index.js';
import type { CanaryWatch } from './canary-watch.js';

/**
 * Everything that hears about a served request: Prometheus metrics, the canary's window, the
 * inference log (sampled, written later) and the shadow comparison. All of it is synchronous and
 * bounded, so the request's answer never waits on it.
 */
export class ServingObserver implements InferenceObserver {
  readonly #shadows = new Map<string, { version: string; comparison: ShadowComparison }>();

  constructor(
    private readonly metrics: ServingMetrics,
    private readonly canary: CanaryWatch,
    private readonly log: InferenceLogWriter | undefined,
  ) {}

  served(event: ServedEvent): void {
    const { served } = event;
    this.metrics.request({ deployment: event.deployment, model: served.modelName, version: served.version, protocol: event.protocol }).completed(event.outcome, event.seconds);
    this.canary.record(event);
    const log = this.log;
    if (event.outcome !== 'ok' || !event.outputs || !log?.sampled(event.deployment, event.requestId)) return;
    const inputs = tensorColumns(event.inputs);
    const outputs = tensorColumns(event.outputs);
    log.record({
      requestId: event.requestId,
      deployment: event.deployment,
      modelName: served.modelName,
      version: served.version,
      at: Date.now(),
      latencyMs: event.seconds * 1000,
      inputs: inputs.columns,
      outputs: outputs.columns,
      rows: inputs.rows,
    });
  }

  shadowed(event: ShadowEvent): void {
    const metrics = this.metrics.version(event.deployment, event.shadow.modelName, event.shadow.version);
    metrics.shadowRequest();
    if (event.error !== undefined) metrics.shadowError();
    const primary = event.primary.outputs && firstValue(event.primary.outputs);
    if (primary === undefined) return;
    let entry = this.#shadows.get(event.deployment);
    if (entry?.version !== event.shadow.version) {
      entry = { version: event.shadow.version, comparison: createShadowComparison() };
      this.#shadows.set(event.deployment, entry);
    }
    const shadow = event.outputs && firstValue(event.outputs);
    entry.comparison.record({
      primary,
      primaryLatencySeconds: event.primary.seconds,
      ...(shadow === undefined ? {} : { shadow }),
      shadowLatencySeconds: event.seconds,
      shadowError: event.error !== undefined || shadow === undefined,
    });
  }

  shadowComparison(deployment: string): (ShadowComparisonSnapshot & { version: string }) | undefined {
    const entry = this.#shadows.get(deployment);
    return entry && { version: entry.version, ...entry.comparison.snapshot() };
  }
}

/** The first output's first row as one comparable value (a label or the positive-class score). */
function firstValue(outputs: readonly Tensor[]): string | number | undefined {
  const output = outputs[0];
  if (!output || output.data.length === 0) return undefined;
  const rows = output.shape[0] ?? 1;
  const width = rows > 0 ? output.data.length / rows : 1;
  const value = output.data[width - 1];
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number(value);
}
