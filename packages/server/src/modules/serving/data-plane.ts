import type { Registry } from 'prom-client';
import type { CapstanConfig } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { InferenceRuntime } from '../../ports/inference-runtime.js';
import { InferenceQueue } from './batching/inference-queue.js';
import { CanaryWatch } from './control/canary-watch.js';
import { Reconciler, type ReconcilerOptions } from './control/reconciler.js';
import { ServingObserver } from './control/serving-observer.js';
import type { QueueFactory, QueueSettings } from './engine/served-version-factory.js';
import { ServingEngine } from './engine/serving-engine.js';
import { adaptTabularInputs } from './engine/tabular-inputs.js';
import type { InferenceLogWriter } from './observability/inference-log-writer.js';
import { createServingMetrics, type ServingMetrics } from './observability/serving-metrics.js';
import type { OipGrpcServer, OipGrpcServerOptions } from './protocol/grpc/oip-grpc-server.js';
import { ModelPool } from './runtime/model-pool.js';

export interface DataPlaneOptions {
  runtime: InferenceRuntime;
  metricsRegistry: Registry;
  settings: CapstanConfig['serving'];
  logger: Logger;
  /** The sampled inference log; a process without a store to write it to (`capstan serve`) has none. */
  inferenceLog?: (metrics: ServingMetrics) => InferenceLogWriter;
}

/**
 * What answers inference requests, shared by the platform server and a standalone `capstan serve`
 * process: the model pool, the engine with its traffic tables, the observer (metrics, canary
 * window, inference log) and the reconciler that turns deployments into installed tables.
 */
export interface DataPlane {
  readonly engine: ServingEngine;
  readonly pool: ModelPool;
  readonly metrics: ServingMetrics;
  readonly observer: ServingObserver;
  readonly watch: CanaryWatch;
  reconciler(from: Pick<ReconcilerOptions, 'source' | 'registry'>): Reconciler;
  /** Serves the engine over OIP gRPC (loaded only when asked for: gRPC and protobuf slow every start-up). */
  startGrpc(options: GrpcListenOptions): Promise<OipGrpcServer>;
  /** Stops routing, drains queues, releases sessions, flushes the log. */
  close(): Promise<void>;
}

export interface GrpcListenOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  serverVersion: string;
  authorize?: OipGrpcServerOptions['authorize'];
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const { settings, logger } = options;
  const metrics = createServingMetrics(options.metricsRegistry);
  const log = options.inferenceLog?.(metrics);
  const watch = new CanaryWatch();
  const observer = new ServingObserver(metrics, watch, log);
  const engine = new ServingEngine({ observer, adaptInputs: adaptTabularInputs });
  const pool = new ModelPool({ runtime: options.runtime, gracePeriodMs: settings.unloadGraceMs, onUnloadError: (key, err) => logger.error({ err, key }, 'model unload failed') });
  const queueDefaults: QueueSettings = {
    maxBatchSize: settings.maxBatchSize,
    maxQueueDelayMicros: settings.maxQueueDelayMicros,
    maxQueueSize: settings.maxQueueSize,
    maxConcurrentRuns: settings.maxConcurrentRuns,
    timeoutMs: settings.timeoutMs,
  };
  return {
    engine,
    pool,
    metrics,
    observer,
    watch,
    reconciler: ({ source, registry }) =>
      new Reconciler({
        source,
        registry,
        engine,
        pool,
        makeQueue: queueFactory(metrics),
        queueDefaults,
        logger,
        onModelLoaded: (model, version, seconds) => {
          metrics.modelLoaded(model, version, seconds);
          metrics.loadedModels(pool.stats().length);
        },
      }),
    async startGrpc(o) {
      const { startOipGrpcServer } = await import('./protocol/grpc/oip-grpc-server.js');
      const grpc = await startOipGrpcServer({
        engine,
        host: o.host,
        port: o.port,
        maxMessageBytes: o.maxMessageBytes,
        serverName: 'capstan',
        serverVersion: o.serverVersion,
        extensions: ['binary_tensor_data'],
        ...(o.authorize ? { authorize: o.authorize } : {}),
      });
      logger.info({ port: grpc.port }, 'OIP gRPC listening');
      return grpc;
    },
    async close() {
      await engine.close();
      await pool.close();
      await log?.close();
    },
  };
}

function queueFactory(metrics: ServingMetrics): QueueFactory {
  return (model, settings, target) => {
    const versionMetrics = metrics.version(target.deployment, target.modelName, target.version);
    return new InferenceQueue({
      run: (feeds, outputNames) => model.run(feeds, outputNames),
      maxBatchSize: settings.maxBatchSize,
      maxQueueDelayMicros: settings.maxQueueDelayMicros,
      maxQueueSize: settings.maxQueueSize,
      maxConcurrentRuns: settings.maxConcurrentRuns,
      ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
      onBatch: (info) => {
        versionMetrics.batchRan(info.size, info.computeSeconds);
        for (const q of info.queueSeconds) versionMetrics.queueWaited(q);
      },
    });
  };
}
