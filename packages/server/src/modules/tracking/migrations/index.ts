import type { SchemaMigration } from '../../../ports/sql.js';
import { trackingSchema } from './0001-tracking.js';
import { experimentWorkspaces } from './0003-experiment-workspaces.js';

export const trackingMigrations: readonly SchemaMigration[] = [trackingSchema, experimentWorkspaces];
