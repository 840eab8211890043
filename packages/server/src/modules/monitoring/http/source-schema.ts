import { z } from 'zod';

const cell = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const inlineSource = z.object({ columns: z.record(z.string(), z.array(cell)) }).strict();

const windowSource = z
  .object({
    deployment: z.string().min(1),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    part: z.enum(['inputs', 'outputs', 'labels']).optional(),
  })
  .strict()
  .refine((w) => w.from <= w.to, { message: 'from must not be after to' });

/** One side of a comparison: columns given inline, or a deployment's logged traffic in [from, to). */
export const sourceSchema = z.union([inlineSource, windowSource], {
  error: 'must be {"columns": {"name": [values]}} or {"deployment", "from", "to", "part"}',
});

export type SourceInput = z.infer<typeof sourceSchema>;

/**
 * A side given as a serialised profile (`serializeProfile`'s object). Only its shape is checked
 * here; deserializeProfile validates every field when the side is resolved (resolve-source.ts).
 */
const profileSource = z.object({ profile: z.record(z.string(), z.unknown()) }).strict();

/** A drift side: a source, or (with `"method": "profiles"`) a profile made earlier. */
export const driftSourceSchema = z.union([inlineSource, windowSource, profileSource], {
  error: 'must be {"columns": {"name": [values]}}, {"deployment", "from", "to", "part"} or {"profile": <serialised profile>}',
});

export type DriftSourceInput = z.infer<typeof driftSourceSchema>;
