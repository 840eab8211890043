import type { FastifyInstance } from 'fastify';
import type { CapstanModule } from '../module.js';
import { registerDriftRoutes } from './http/drift-routes.js';
import type { ReadWindow } from './sources/window-columns.js';

export interface MonitoringModuleOptions {
  /** Pages of a deployment's inference log (the serving module's). */
  readWindow: ReadWindow;
  deploymentWorkspace(name: string): Promise<string | undefined>;
  bodyLimitBytes: number;
  /** Logged rows one window may hold. Default 200,000. */
  maxWindowRows?: number;
}

/**
 * Monitoring: drift between a reference and production traffic, with Evidently's tests and
 * scipy's numbers (drift/). Data quality (quality/) and performance (performance/) are libraries
 * that monitors will run; this module so far serves the drift report API.
 */
export function createMonitoringModule(options: MonitoringModuleOptions): CapstanModule {
  return {
    name: 'monitoring',
    migrations: [],
    registerRoutes(app: FastifyInstance) {
      registerDriftRoutes(app, {
        readWindow: options.readWindow,
        deploymentWorkspace: options.deploymentWorkspace,
        maxWindowRows: options.maxWindowRows ?? 200_000,
        bodyLimitBytes: options.bodyLimitBytes,
      });
    },
  };
}
