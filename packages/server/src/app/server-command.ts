import { CapstanError } from '../core/errors.js';
import { loadConfig, parseServerArgs, SERVER_USAGE } from '../core/config.js';
import { startServer } from './start-server.js';

/**
 * `capstan server` and `npm start`: parse flags, start, and shut down gracefully on SIGINT or
 * SIGTERM — stop accepting, finish in-flight requests, close stores — within the configured
 * timeout, after which the process exits anyway.
 */
export async function runServerCommand(argv: readonly string[]): Promise<void> {
  let args;
  try {
    args = parseServerArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(SERVER_USAGE);
    return;
  }
  const config = loadConfig({ overrides: args.overrides, ...(args.configFile ? { configFile: args.configFile } : {}) });
  const server = await startServer(config);
  server.logger.info(
    { url: server.url, backendStore: config.backendStoreUri.replace(/\/\/[^@/]*@/, '//***@'), artifacts: config.artifactsDestination },
    'Capstan is listening',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      server.logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => server.logger.info('stopped'),
      (err: unknown) => {
        server.logger.error({ err }, 'error during shutdown');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

export function reportStartupFailure(err: unknown): void {
  const message = err instanceof CapstanError ? `${err.code}: ${err.message}` : (err as Error).stack ?? String(err);
  process.stderr.write(`capstan: failed to start: ${message}\n`);
  process.exitCode = 1;
}
