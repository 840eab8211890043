import type { FastifyInstance } from 'fastify';
import type { SchemaMigration } from '../ports/sql.js';

/**
 * What a module hands to app/: its schema steps and its routes. Modules are built by factories
 * that receive ports; app/create-app.ts is the only place that chooses adapters.
 */
export interface CapstanModule {
  readonly name: string;
  readonly migrations: readonly SchemaMigration[];
  /** Called once migrations have run, before the server listens. */
  start?(): Promise<void>;
  registerRoutes(app: FastifyInstance): void;
  /** Called during graceful shutdown, after the server stopped taking requests. */
  stop?(): Promise<void>;
}
