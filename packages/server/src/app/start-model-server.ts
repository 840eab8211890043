import { SERVING_DEFAULTS, type CapstanConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { CAPSTAN_VERSION } from '../core/version.js';
import { onnxruntimeNodeSessions } from '../adapters/onnx/onnxruntime-node-sessions.js';
import { createModelServing, type ModelProvider } from '../modules/serving/standalone/index.js';
import { installErrorHandling } from './http/error-handler.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { closeHttpServer, createHttpServer } from './http/http-server.js';
import { createMetricsRegistry, installHttpMetrics } from './http/http-metrics.js';

export interface ModelServerOptions {
  provider: ModelProvider;
  /** The protocols' model name; default the provider's (the registered model's, or the folder's). */
  name?: string;
  host?: string;
  /** 0 picks a free port. Default 8080 (KServe's predictor port). */
  port?: number;
  /** Queue, batching and gRPC settings; the platform server's `serving` defaults otherwise. */
  serving?: Partial<CapstanConfig['serving']>;
  /** How often to check whether a followed alias moved. Default 30 s; 0 never checks. */
  pollIntervalMs?: number;
  bodyLimitBytes?: number;
  /** pino level (`info` by default; `silent` for none). */
  logLevel?: string;
  logger?: Logger;
}

export interface RunningModelServer {
  url: string;
  name: string;
  grpcPort: number | undefined;
  /** The version being served now. */
  version(): { name: string; version: string } | undefined;
  close(): Promise<void>;
}

/**
 * `capstan serve`: one model behind the Open Inference Protocol (REST and, with a gRPC port, gRPC),
 * KServe v1 and MLflow's scoring server (`/invocations`, `/ping`), with health probes and
 * Prometheus metrics, and no database. Resolves once the model is loaded, warmed up and listening.
 */
export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const host = options.host ?? '127.0.0.1';
  const bodyLimitBytes = options.bodyLimitBytes ?? 16 * 1024 * 1024;
  const name = options.name ?? options.provider.name;
  const metricsRegistry = createMetricsRegistry();
  const serving = createModelServing({
    provider: options.provider,
    name,
    settings: { ...SERVING_DEFAULTS, ...options.serving, host },
    pollIntervalMs: options.pollIntervalMs ?? 30_000,
    runtime: onnxruntimeNodeSessions,
    metricsRegistry,
    logger,
    bodyLimitBytes,
    serverVersion: CAPSTAN_VERSION,
  });
  await serving.start();

  const app = createHttpServer(logger, bodyLimitBytes);
  const health = {
    accepting: true,
    async check() {
      if (!serving.engine.ready()) throw new Error('the model is not loaded');
    },
  };
  installErrorHandling(app);
  installHttpMetrics(app, metricsRegistry);
  registerHealthRoutes(app, health, CAPSTAN_VERSION);
  serving.registerRoutes(app);
  try {
    await app.listen({ host, port: options.port ?? 8080 });
  } catch (err) {
    await serving.stop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : shown}:${port}`,
    name,
    grpcPort: serving.grpcPort(),
    version: () => serving.version(),
    close() {
      closing ??= (async () => {
        health.accepting = false;
        await closeHttpServer(app);
        await serving.stop();
      })();
      return closing;
    },
  };
}
