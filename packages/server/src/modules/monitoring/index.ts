import type { FastifyInstance } from 'fastify';
import type { CapstanModule } from '../module.js';
import { registerDriftRoutes } from './http/drift-routes.js';
import { registerQualityRoutes } from './http/quality-routes.js';
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
 * scipy's numbers (drift/), and data-quality checks (quality/), each as an API over inline columns
 * or a deployment's logged traffic. Performance (performance/) is a library monitors will run.
 */
export function createMonitoringModule(options: MonitoringModuleOptions): CapstanModule {
  return {
    name: 'monitoring',
    migrations: [],
    registerRoutes(app: FastifyInstance) {
      const deps = {
        readWindow: options.readWindow,
        deploymentWorkspace: options.deploymentWorkspace,
        maxWindowRows: options.maxWindowRows ?? 200_000,
        bodyLimitBytes: options.bodyLimitBytes,
      };
      registerDriftRoutes(app, deps);
      registerQualityRoutes(app, deps);
    },
  };
}
