import { z } from 'zod';
import { CHECK_IDS, SIGNATURE_TYPES } from '../quality/index.js';
import { sourceSchema } from './source-schema.js';

/** A threshold: a number, or `{"approx": x, "relative": r, "absolute": a}` as Evidently's approx(). */
const threshold = z.union([
  z.number().finite(),
  z.object({ approx: z.number().finite(), relative: z.number().positive().optional(), absolute: z.number().min(0).optional() }).strict(),
]);
const category = z.union([z.number(), z.string(), z.boolean()]);

export const conditionSchema = z
  .object({
    eq: threshold.optional(),
    not_eq: threshold.optional(),
    gt: threshold.optional(),
    gte: threshold.optional(),
    lt: threshold.optional(),
    lte: threshold.optional(),
    is_in: z.array(category).optional(),
    not_in: z.array(category).optional(),
  })
  .strict();

const checkOptions = z.object({ condition: conditionSchema.optional(), critical: z.boolean().optional(), enabled: z.boolean().optional() }).strict();
const checks = z.partialRecord(z.enum(CHECK_IDS), checkOptions);

/** `POST /monitoring/data-quality`: unknown keys are refused, so a misspelt check never goes unnoticed. */
export const qualityRequestSchema = z
  .object({
    reference: sourceSchema.optional(),
    current: sourceSchema,
    column_types: z.record(z.string(), z.enum(['numerical', 'categorical'])).optional(),
    signature: z.array(z.object({ name: z.string().min(1), type: z.enum(SIGNATURE_TYPES), required: z.boolean().optional() }).strict()).optional(),
    missing_values: z.array(z.union([z.string(), z.number()])).optional(),
    almost_constant_share: z.number().gt(0).max(1).optional(),
    n_sigmas: z.number().positive().optional(),
    checks: checks.optional(),
    column_checks: z.record(z.string(), checks).optional(),
  })
  .strict();

export type QualityRequest = z.infer<typeof qualityRequestSchema>;
export type ConditionInput = z.infer<typeof conditionSchema>;
