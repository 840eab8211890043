import type { SchemaMigration } from '../../../ports/sql.js';
import { trackingSchema } from './0001-tracking.js';

export const trackingMigrations: readonly SchemaMigration[] = [trackingSchema];
