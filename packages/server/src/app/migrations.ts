import type { SchemaMigration } from '../ports/sql.js';
import { securityMigrations } from '../modules/security/index.js';
import { registryMigrations } from '../modules/registry/index.js';
import { servingMigrations } from '../modules/serving/index.js';
import { monitoringMigrations } from '../modules/monitoring/index.js';
import { trackingMigrations } from '../modules/tracking/index.js';
import { featureMigrations } from '../modules/features/index.js';

/** Every module's schema steps; the migrator runs them in name order. */
export function allMigrations(): SchemaMigration[] {
  return [...trackingMigrations, ...securityMigrations, ...registryMigrations, ...servingMigrations, ...monitoringMigrations, ...featureMigrations];
}
