import type { Tensor } from '../protocol/datatypes.js';
import type { Outcome, ServedEvent } from '../engine/serving-engine.js';
import { createVersionStats, type VersionStats, type VersionStatsSnapshot } from '../traffic/index.js';

/**
 * Per deployment with a canary in progress, what the stable and the candidate version did in the
 * current step: counts, errors, latencies and a sample of predictions. Client mistakes (400, 404)
 * say nothing about a version, so they are not counted; a server error, a timeout or a full queue
 * is the version's.
 */
export class CanaryWatch {
  readonly #watched = new Map<string, { output: string | undefined; stats: Map<string, VersionStats> }>();

  watch(deployment: string, versions: readonly string[], output: string | undefined): void {
    const current = this.#watched.get(deployment);
    if (current && current.output === output && versions.every((v) => current.stats.has(v)) && current.stats.size === versions.length) return;
    this.#watched.set(deployment, { output, stats: new Map(versions.map((v) => [v, createVersionStats()])) });
  }

  unwatch(deployment: string): void {
    this.#watched.delete(deployment);
  }

  /** A new step: a fresh window. */
  reset(deployment: string): void {
    for (const stats of this.#watched.get(deployment)?.stats.values() ?? []) stats.reset();
  }

  snapshot(deployment: string, version: string): VersionStatsSnapshot | undefined {
    return this.#watched.get(deployment)?.stats.get(version)?.snapshot();
  }

  record(event: ServedEvent): void {
    const watched = this.#watched.get(event.deployment);
    if (!watched) return;
    const stats = watched.stats.get(event.served.version);
    if (!stats || !countsAgainstVersion(event.outcome)) return;
    if (event.outcome !== 'ok' || !event.outputs) {
      stats.record('error', event.seconds);
      return;
    }
    const output = (watched.output && event.outputs.find((o) => o.name === watched.output)) || event.outputs[0];
    stats.record('ok', event.seconds, output ? firstPrediction(output) : undefined);
  }
}

function countsAgainstVersion(outcome: Outcome): boolean {
  return outcome === 'ok' || outcome === 'error' || outcome === 'timeout' || outcome === 'overloaded';
}

/**
 * The request's first row as one number: a 1-D output's value (a label), or a 2-D output's last
 * column (the positive class's probability). One per request keeps the sample unbiased towards
 * large batches. Non-numeric outputs give none.
 */
function firstPrediction(output: Tensor): number | undefined {
  if (output.datatype === 'BYTES' || output.datatype === 'BOOL' || output.datatype === 'FP16') return undefined;
  const rows = output.shape[0] ?? 1;
  if (rows <= 0 || output.data.length === 0) return undefined;
  const width = output.data.length / rows;
  return Number(output.data[width - 1]);
}
