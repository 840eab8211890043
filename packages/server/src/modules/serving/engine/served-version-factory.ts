import type { DeploymentSpec } from '@capstan/contracts';
import type { LoadedModel, ModelSource, SessionOptions } from '../../../ports/inference-runtime.js';
import type { ModelSignature } from '../../registry/index.js';
import type { MetadataTensor } from '../protocol/oip-types.js';
import type { LoadTimings, ModelPool } from '../runtime/model-pool.js';
import type { RunQueue, ServedVersion } from './served-version.js';
import { toMetadataTensor } from './tensor-bridge.js';

/** The queue settings of a deployment, with the defaults serving applies. */
export interface QueueSettings {
  maxBatchSize: number;
  maxQueueDelayMicros: number;
  maxQueueSize: number;
  maxConcurrentRuns: number;
  timeoutMs: number | undefined;
}

export type QueueFactory = (model: LoadedModel, settings: QueueSettings, target: { deployment: string; modelName: string; version: string }) => RunQueue;

export interface VersionToServe {
  deployment: string;
  modelName: string;
  version: number;
  signature: ModelSignature | undefined;
  load(): Promise<ModelSource>;
  /** Hears how long the load took, in seconds, when this call loaded the model (not when it was already loaded). */
  onLoaded?(seconds: number): void;
}

export function sessionOptionsOf(spec: DeploymentSpec): SessionOptions {
  const r = spec.runtime ?? {};
  return {
    ...(r.intra_op_threads !== undefined ? { intraOpThreads: r.intra_op_threads } : {}),
    ...(r.inter_op_threads !== undefined ? { interOpThreads: r.inter_op_threads } : {}),
    ...(r.graph_optimization_level !== undefined ? { graphOptimizationLevel: r.graph_optimization_level } : {}),
    ...(r.execution_mode !== undefined ? { executionMode: r.execution_mode } : {}),
  };
}

export function queueSettingsOf(spec: DeploymentSpec, defaults: QueueSettings): QueueSettings {
  return {
    maxBatchSize: spec.batching?.max_batch_size ?? defaults.maxBatchSize,
    maxQueueDelayMicros: spec.batching?.max_queue_delay_micros ?? defaults.maxQueueDelayMicros,
    maxQueueSize: spec.limits?.max_queue_size ?? defaults.maxQueueSize,
    maxConcurrentRuns: spec.limits?.max_concurrent_runs ?? defaults.maxConcurrentRuns,
    timeoutMs: spec.limits?.timeout_ms ?? defaults.timeoutMs,
  };
}

/**
 * Loads (through the pool: once per model version and session options, however many
 * deployments serve it) and wraps a version for one deployment. The model is warmed up by the
 * pool before this resolves, so a version is ready the moment it exists.
 */
export async function openServedVersion(pool: ModelPool, target: VersionToServe, options: SessionOptions, settings: QueueSettings, makeQueue: QueueFactory): Promise<ServedVersion> {
  const key = `${target.modelName}/${target.version}#${JSON.stringify(options)}`;
  const onLoaded = target.onLoaded && ((t: LoadTimings) => target.onLoaded!((t.fetchMs + t.loadMs + t.warmupMs) / 1000));
  const lease = await pool.acquire(key, target.load, options, onLoaded);
  try {
    const model = lease.model;
    const version = String(target.version);
    const view = {
      name: target.deployment,
      version,
      ready: true,
      inputs: describe(model.inputs, 'input', target),
      outputs: describe(model.outputs, 'output', target),
      ...(target.signature ? { signature: target.signature } : {}),
    };
    const queue = makeQueue(model, settings, { deployment: target.deployment, modelName: target.modelName, version });
    let retired: Promise<void> | undefined;
    return {
      key,
      modelName: target.modelName,
      version,
      view,
      model,
      queue,
      retire() {
        retired ??= queue.drain().then(() => lease.release());
        return retired;
      },
    };
  } catch (err) {
    lease.release();
    throw err;
  }
}

function describe(infos: LoadedModel['inputs'], what: string, target: VersionToServe): MetadataTensor[] {
  return infos.map((info) => {
    const tensor = toMetadataTensor(info);
    if (!tensor) throw new Error(`${target.modelName} version ${target.version} has ${what} '${info.name}' of type ${info.type}, which the serving protocols cannot carry`);
    return tensor;
  });
}
