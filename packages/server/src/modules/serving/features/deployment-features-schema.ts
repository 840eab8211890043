import { z } from 'zod';

/**
 * A deployment's `features` (DeploymentFeatures). Names are only checked for shape here: whether
 * the project and feature service exist is the feature store's to say, and it may change after
 * deploying, so a request that reaches a missing one fails with the feature store's message.
 */
const name = z.string().min(1, 'must not be empty').max(128);

export const deploymentFeaturesSchema = z.strictObject({
  project: name,
  feature_service: name,
  entity_keys: z
    .array(name)
    .min(1, 'must name at least one column (leave it out to send every request column)')
    .max(64)
    .refine((keys) => new Set(keys).size === keys.length, 'must not name a column twice')
    .optional(),
  full_feature_names: z.boolean().optional(),
});
