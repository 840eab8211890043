import { z } from 'zod';
import { STAT_TEST_NAMES, type StatTestName } from '../drift/index.js';
import { profileStattestRefusal } from '../profiles/refusal.js';
import { driftSourceSchema, sourceSchema as source } from './source-schema.js';

const stattest = z.enum(STAT_TEST_NAMES);
const threshold = z.number().finite();

/**
 * The drift options and two sources: the body of `POST /monitoring/drift/report`, and of
 * `POST /monitoring/drift` without `method`. Unknown keys are refused, so a misspelt option never
 * goes unnoticed.
 */
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

/**
 * `POST /monitoring/drift`: the drift request plus `method` (`exact`, the default, or `profiles`).
 * With `profiles` a side may also be a serialised profile, and every test the request names must
 * run on profiles (refused up front, before any window is read, with the library's message).
 */
export const driftMethodRequestSchema = driftRequestSchema
  .extend({ method: z.enum(['exact', 'profiles']).optional(), reference: driftSourceSchema, current: driftSourceSchema })
  .strict()
  .superRefine((body, ctx) => {
    if (body.method !== 'profiles') {
      for (const side of ['reference', 'current'] as const) {
        if ('profile' in body[side]) ctx.addIssue({ code: 'custom', path: [side], message: 'a serialised profile is compared only with "method": "profiles"' });
      }
      return;
    }
    const named: [PropertyKey[], StatTestName | undefined][] = [
      [['stattest'], body.stattest],
      [['numerical_stattest'], body.numerical_stattest],
      [['categorical_stattest'], body.categorical_stattest],
      ...Object.entries(body.per_column_stattest ?? {}).map(([column, name]): [PropertyKey[], StatTestName] => [['per_column_stattest', column], name]),
    ];
    for (const [path, name] of named) {
      const refusal = name === undefined ? undefined : profileStattestRefusal(name);
      if (refusal !== undefined) ctx.addIssue({ code: 'custom', path, message: refusal });
    }
  });

export type DriftMethodRequest = z.infer<typeof driftMethodRequestSchema>;
