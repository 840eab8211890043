import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CapstanConfig } from '../../../core/config.js';
import type { Logger } from '../../../core/logger.js';
import type { InferenceRuntime } from '../../../ports/inference-runtime.js';
import { createDataPlane } from '../data-plane.js';
import type { ServingEngine } from '../engine/serving-engine.js';
import { registerOipRestRoutes } from '../http/oip-rest-routes.js';
import { registerScoringRoutes } from '../http/scoring-routes.js';
import type { OipGrpcServer } from '../protocol/grpc/oip-grpc-server.js';
import type { ModelProvider } from './model-provider.js';
import { StandaloneDeployment } from './standalone-deployment.js';

export { folderModelProvider, type ModelProvider, type ProvidedVersion } from './model-provider.js';

export interface ModelServingOptions {
  provider: ModelProvider;
  /** The protocols' model name (`/v2/models/{name}`, `/v1/models/{name}:predict`). */
  name: string;
  settings: CapstanConfig['serving'] & { host: string };
  /** How often to ask the provider whether an alias moved; 0 never does. */
  pollIntervalMs: number;
  runtime: InferenceRuntime;
  metricsRegistry: Registry;
  logger: Logger;
  bodyLimitBytes: number;
  serverVersion: string;
}

export interface ModelServing {
  readonly engine: ServingEngine;
  /** The version being served (after `start`). */
  version(): { name: string; version: string } | undefined;
  grpcPort(): number | undefined;
  /** Loads and warms the model; rejects when it cannot be served, so the process fails fast. */
  start(): Promise<void>;
  registerRoutes(app: FastifyInstance): void;
  stop(): Promise<void>;
}

/**
 * A standalone serving process (`capstan serve`): one model, the same data plane and protocols as
 * the platform server, no database. Anyone who reaches the port may call it, as with
 * `mlflow models serve` or a KServe predictor: it is meant to sit behind the cluster's network policy.
 */
export function createModelServing(options: ModelServingOptions): ModelServing {
  const { logger, settings } = options;
  const plane = createDataPlane({ runtime: options.runtime, metricsRegistry: options.metricsRegistry, settings, logger });
  const deployment = new StandaloneDeployment(options.name, options.provider);
  const reconciler = plane.reconciler({ source: deployment, registry: deployment.registry });
  let timer: NodeJS.Timeout | undefined;
  let grpc: OipGrpcServer | undefined;

  const poll = async () => {
    try {
      if (await deployment.refresh()) logger.info({ model: options.provider.description, version: deployment.deployment()?.traffic.versions[0]?.version }, 'the model moved; swapping');
    } catch (err) {
      // A registry that does not answer must not take the model down: keep serving what is loaded.
      logger.warn({ err, model: options.provider.description }, 'could not check which version to serve');
    }
    await reconciler.sync();
  };

  return {
    engine: plane.engine,
    version() {
      const v = deployment.deployment()?.traffic.versions[0];
      return v && { name: v.model_name, version: v.version };
    },
    grpcPort: () => grpc?.port,
    async start() {
      await deployment.refresh();
      await reconciler.sync();
      const current = deployment.deployment()!;
      const status = reconciler.status(current);
      if (!status.ready) {
        throw new Error(`${options.provider.description} could not be served: ${status.versions.map((v) => v.error ?? v.state).join('; ')}`);
      }
      if (options.provider.follows && options.pollIntervalMs > 0) {
        timer = setInterval(() => void poll(), options.pollIntervalMs);
        timer.unref();
      }
      if (settings.grpcPort !== undefined) {
        grpc = await plane.startGrpc({ host: settings.host, port: settings.grpcPort, maxMessageBytes: options.bodyLimitBytes, serverVersion: options.serverVersion });
      }
    },
    registerRoutes(app) {
      const open = { kind: 'public' } as const;
      registerOipRestRoutes(app, { engine: plane.engine, serverName: 'capstan', serverVersion: options.serverVersion, bodyLimitBytes: options.bodyLimitBytes, modelRule: open });
      registerScoringRoutes(app, { engine: plane.engine, bodyLimitBytes: options.bodyLimitBytes, rule: open, standaloneDeployment: options.name });
    },
    async stop() {
      if (timer) clearInterval(timer);
      await grpc?.close();
      await plane.close();
    },
  };
}
