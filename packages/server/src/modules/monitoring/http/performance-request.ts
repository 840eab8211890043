import { z } from 'zod';

const label = z.union([z.number().finite(), z.string()]);
const inputLabel = z.union([z.number().finite(), z.string(), z.boolean()]);

const windowSource = z
  .object({ deployment: z.string().min(1), from: z.number().int().min(0), to: z.number().int().min(0) })
  .strict()
  .refine((w) => w.from <= w.to, { message: 'from must not be after to' });

const inlineReference = z
  .object({
    labels: z.array(inputLabel).min(1),
    scores: z.union([z.array(z.number().finite()), z.array(z.array(z.number().finite()).min(1))]),
    predictions: z.array(inputLabel).optional(),
  })
  .strict();

const reference = z.union([windowSource, inlineReference], {
  error: 'must be {"deployment", "from", "to"} or {"labels": [...], "scores": [...], "predictions"?: [...]}',
});

const positiveInt = z.number().int().positive();

const pageHinkley = z
  .object({
    min_instances: positiveInt.optional(),
    delta: z.number().finite().optional(),
    threshold: z.number().finite().optional(),
    alpha: z.number().finite().optional(),
    mode: z.enum(['up', 'down', 'both']).optional(),
  })
  .strict();

const adwin = z
  .object({
    delta: z.number().gt(0).lt(1).optional(),
    clock: positiveInt.optional(),
    max_buckets: positiveInt.optional(),
    min_window_length: positiveInt.optional(),
    grace_period: z.number().int().min(0).optional(),
  })
  .strict();

/** `POST /monitoring/performance`: unknown keys are refused, so a misspelt option never goes unnoticed. */
export const performanceRequestSchema = z
  .object({
    current: windowSource,
    task: z.enum(['classification', 'regression']),
    prediction: z.string().min(1),
    scores: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    positive_label: label.optional(),
    classes: z.array(label).min(1).optional(),
    average: z.enum(['binary', 'macro', 'micro', 'weighted']).optional(),
    window_ms: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    segment_by: z.string().min(1).optional(),
    reference: reference.optional(),
    cbpe: z
      .object({
        chunk_size: positiveInt.optional(),
        calibrate: z.boolean().optional(),
        std_multiplier: z.number().finite().min(0).optional(),
        threshold: z.number().min(0).max(1).optional(),
        rows: z.enum(['all', 'unlabelled']).optional(),
      })
      .strict()
      .optional(),
    detectors: z.object({ page_hinkley: pageHinkley.optional(), adwin: adwin.optional() }).strict().optional(),
  })
  .strict();

export type PerformanceRequestBody = z.infer<typeof performanceRequestSchema>;
export type InlineReferenceBody = z.infer<typeof inlineReference>;
export type WindowSourceBody = z.infer<typeof windowSource>;
