import { z } from 'zod';
import { STAT_TEST_NAMES } from '../drift/index.js';
import { sourceSchema as source } from './source-schema.js';

const stattest = z.enum(STAT_TEST_NAMES);
const threshold = z.number().finite();

/** `POST /monitoring/drift`: unknown keys are refused, so a misspelt option never goes unnoticed. */
export const driftRequestSchema = z
  .object({
    reference: source,
    current: source,
    columns: z.array(z.string()).min(1).optional(),
    column_types: z.record(z.string(), z.enum(['numerical', 'categorical'])).optional(),
    stattest: stattest.optional(),
    numerical_stattest: stattest.optional(),
    categorical_stattest: stattest.optional(),
    per_column_stattest: z.record(z.string(), stattest).optional(),
    stattest_threshold: threshold.optional(),
    numerical_stattest_threshold: threshold.optional(),
    categorical_stattest_threshold: threshold.optional(),
    per_column_stattest_threshold: z.record(z.string(), threshold).optional(),
    drift_share: z.number().min(0).max(1).optional(),
  })
  .strict();

export type DriftRequest = z.infer<typeof driftRequestSchema>;
