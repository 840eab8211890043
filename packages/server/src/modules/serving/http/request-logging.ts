import type { LogLevel, RegisterOptions } from 'fastify';
import type { Logger } from '../../../core/logger.js';

/**
 * The per-request log level of inference routes: `warn`, so a call costs no log lines unless it
 * fails, except on a server logging at debug or trace, where every call is wanted.
 */
export function inferenceRequestLogLevel(logger: Logger): LogLevel | undefined {
  return logger.isLevelEnabled('debug') ? undefined : 'warn';
}

/** The plugin options that set the per-request log level of a scope's routes (none: the server's). */
export function requestLogging(level: LogLevel | undefined): RegisterOptions {
  return level === undefined ? {} : { logLevel: level };
}
