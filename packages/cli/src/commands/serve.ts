import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ModelProvider, ModelServerOptions } from '@capstan/server/model-server';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { registryModelProvider } from '../serve/registry-model-provider.js';

interface Options {
  name?: string;
  host: string;
  port: number;
  grpcPort?: number;
  pollInterval: number;
  maxBatchSize?: number;
  maxQueueDelayUs?: number;
  maxQueueSize?: number;
  maxConcurrentRuns?: number;
  timeoutMs?: number;
  modelDir?: string;
  logLevel: string;
}

const count = (min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

/**
 * `capstan serve models:/fraud@champion`: a standalone serving process for one model (a container
 * per model), answering what `mlflow models serve` answers plus the Open Inference Protocol and
 * KServe v1. It only reads from the registry; an alias it follows is polled and hot-swapped.
 */
export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('serve one model in this process: models:/<name>@<alias> (or /<version>, /<stage>, /latest) from the registry, or a local MLflow model folder')
    .argument('<model>', 'models:/<name>@<alias>, models:/<name>/<version>, or the path of a model folder (MLmodel + model.onnx)')
    .option('--name <name>', "the protocols' model name (default: the registered model's or the folder's name)")
    .option('--host <host>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0 picks a free one)', count(0), 8080)
    .option('--grpc-port <port>', 'also serve OIP gRPC on this port', count(0))
    .option('--poll-interval <seconds>', 'how often to check whether a followed alias moved (0: never)', count(0), 30)
    .option('--max-batch-size <n>', 'dynamic batching: largest batch (1: off)', count(1))
    .option('--max-queue-delay-us <n>', 'dynamic batching: longest wait for a batch to fill, in microseconds', count(0))
    .option('--max-queue-size <n>', 'requests waiting beyond this get 429', count(1))
    .option('--max-concurrent-runs <n>', 'model runs in parallel', count(1))
    .option('--timeout-ms <n>', 'a request still waiting after this gets 504', count(1))
    .option('--model-dir <dir>', 'where registry versions are downloaded (default: a temporary folder removed on exit)')
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent', 'info')
    .action(async (model: string, options: Options) => {
      const { provider, cleanup } = await providerFor(ctx, model, options.modelDir);
      let server;
      try {
        server = await ctx.startModelServer(serverOptions(provider, options));
      } catch (err) {
        await cleanup();
        throw err;
      }
      const served = server.version();
      ctx.io.stderr(`Serving ${served?.name ?? provider.name} version ${served?.version ?? '?'} as '${server.name}' at ${server.url}\n`);
      ctx.io.stderr(`  POST ${server.url}/invocations, /v2/models/${server.name}/infer, /v1/models/${server.name}:predict${server.grpcPort ? `; gRPC on port ${server.grpcPort}` : ''}\n`);
      const running = server;
      const shutdown = () => {
        void running.close().finally(cleanup);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

function serverOptions(provider: ModelProvider, o: Options): ModelServerOptions {
  const serving: NonNullable<ModelServerOptions['serving']> = {
    ...(o.grpcPort !== undefined ? { grpcPort: o.grpcPort } : {}),
    ...(o.maxBatchSize !== undefined ? { maxBatchSize: o.maxBatchSize } : {}),
    ...(o.maxQueueDelayUs !== undefined ? { maxQueueDelayMicros: o.maxQueueDelayUs } : {}),
    ...(o.maxQueueSize !== undefined ? { maxQueueSize: o.maxQueueSize } : {}),
    ...(o.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: o.maxConcurrentRuns } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
  return { provider, host: o.host, port: o.port, pollIntervalMs: o.pollInterval * 1000, serving, logLevel: o.logLevel, ...(o.name ? { name: o.name } : {}) };
}

async function providerFor(ctx: CommandContext, model: string, modelDir: string | undefined): Promise<{ provider: ModelProvider; cleanup: () => Promise<void> }> {
  if (model.startsWith('models:/')) {
    const dir = modelDir ? resolve(modelDir) : await mkdtemp(join(tmpdir(), 'capstan-serve-'));
    const cleanup = modelDir ? async () => undefined : () => rm(dir, { recursive: true, force: true });
    return { provider: registryModelProvider(ctx.client(), model, dir), cleanup };
  }
  if (/^[a-z][\w+.-]*:/i.test(model)) {
    throw new UsageError(`${model}: serve a registered model (models:/<name>@<alias>) or a local folder; register a run's model first to serve it`);
  }
  const folder = await stat(model).catch(() => undefined);
  if (!folder?.isDirectory()) throw new UsageError(`${model} is not a folder; pass a model URI (models:/<name>@<alias>) or an MLflow model folder`);
  const { folderModelProvider } = await import('@capstan/server/model-server');
  return { provider: folderModelProvider(model), cleanup: async () => undefined };
}
