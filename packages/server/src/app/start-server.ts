import { isIP } from 'node:net';
import type { CapstanConfig } from '../core/config.js';
import { CapstanError } from '../core/errors.js';
import { createApp, type CapstanApp } from './create-app.js';

export interface RunningServer extends CapstanApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:5000. */
  url: string;
}

/** Builds the app and listens on the configured address (port 0 picks a free port). */
export async function startServer(config: CapstanConfig): Promise<RunningServer> {
  assertSafeBinding(config);
  const capstan = await createApp(config);
  try {
    await capstan.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await capstan.close();
    throw err;
  }
  const address = capstan.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { ...capstan, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
}

/**
 * Without authentication, anyone who reaches the port owns the server, so by default it only
 * listens on loopback. `--allow-insecure-remote` is the explicit, logged exception.
 */
export function assertSafeBinding(config: CapstanConfig): void {
  if (config.auth.mode !== 'none' || isLoopback(config.host) || config.auth.allowInsecureRemote) return;
  throw new CapstanError(
    'INVALID_PARAMETER_VALUE',
    `Refusing to listen on ${config.host} with authentication off: anyone who can reach it could read and change everything. ` +
      'Turn authentication on (--auth or CAPSTAN_AUTH=on), bind 127.0.0.1, or pass --allow-insecure-remote if this network is private to you.',
  );
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}
