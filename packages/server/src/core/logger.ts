import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line, whatever level. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.secretAccessKey',
];

export function createLogger(level: LoggerOptions['level'], destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'capstan' } };
  return destination ? pino(options, destination) : pino(options);
}
