import type { CapstanConfig } from '../core/config.js';
import { createApp, type CapstanApp } from './create-app.js';

export interface RunningServer extends CapstanApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:5000. */
  url: string;
}

/** Builds the app and listens on the configured address (port 0 picks a free port). */
export async function startServer(config: CapstanConfig): Promise<RunningServer> {
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
