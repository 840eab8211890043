import type { DeploymentManifest } from '@capstan/contracts';
import { z } from 'zod';
import { parseWith } from '../../../core/parse-body.js';
import { parseModelUri } from '../../registry/serving.api.js';
import { deploymentFeaturesSchema } from '../features/deployment-features-schema.js';

/**
 * Validates a deployment manifest (the API body or the YAML `capstan apply -f` reads). Unknown
 * keys are refused rather than ignored: a typo in `max_batch_size` must not silently leave
 * batching off. Every message names the field by its path.
 */
const modelUri = z.string().superRefine((value, ctx) => {
  try {
    parseModelUri(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
const positiveInt = z.number().int().positive();
const percent = z.number().min(0).max(100);

const analysis = z.strictObject({
  min_requests: positiveInt.optional(),
  max_error_rate_increase: z.number().min(0).max(1).optional(),
  max_latency_p99_ratio: z.number().min(1).optional(),
  drift_p_value: z.number().min(0).max(1).optional(),
  prediction_output: z.string().min(1).optional(),
});

const canarySettings = z.strictObject({
  steps: z.array(z.number().gt(0).max(100)).min(1).max(20)
    .refine((s) => s.every((w, i) => i === 0 || w > s[i - 1]!), 'steps must rise')
    .optional(),
  step_interval_seconds: z.number().positive().max(86_400).optional(),
  analysis: analysis.optional(),
  promote_alias: z.string().min(1).optional(),
});

export const canaryRequestSchema = canarySettings.extend({ uri: modelUri });

const spec = z.strictObject({
  models: z
    .array(z.strictObject({ uri: modelUri, weight: z.number().min(0).optional() }))
    .min(1)
    .max(10)
    .refine((models) => models.length === 1 || models.some((m) => (m.weight ?? 0) > 0), 'at least one model needs a positive weight'),
  on_alias_move: z.enum(['swap', 'canary', 'ignore']).optional(),
  sticky_header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').optional(),
  shadow: z.strictObject({ uri: modelUri, percent }).optional(),
  canary: canarySettings.optional(),
  runtime: z
    .strictObject({
      intra_op_threads: z.number().int().min(0).max(256).optional(),
      inter_op_threads: z.number().int().min(0).max(256).optional(),
      graph_optimization_level: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
      execution_mode: z.enum(['sequential', 'parallel']).optional(),
    })
    .optional(),
  batching: z.strictObject({ max_batch_size: positiveInt.max(65_536).optional(), max_queue_delay_micros: z.number().int().min(0).max(10_000_000).optional() }).optional(),
  limits: z
    .strictObject({
      max_queue_size: positiveInt.max(1_000_000).optional(),
      timeout_ms: positiveInt.max(3_600_000).optional(),
      max_concurrent_runs: positiveInt.max(256).optional(),
    })
    .optional(),
  logging: z.strictObject({ sample_rate: z.number().min(0).max(1).optional() }).optional(),
  features: deploymentFeaturesSchema.optional(),
});

const DEPLOYMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const manifest = z.strictObject({
  kind: z.literal('Deployment').optional(),
  name: z.string().regex(DEPLOYMENT_NAME, 'must be 1-63 lower-case letters, digits or dashes, starting and ending with a letter or digit (a DNS label, so it can name a Kubernetes service)'),
  workspace: z.string().min(1).optional(),
  description: z.string().max(5000).optional(),
  spec,
});

export function parseDeploymentManifest(body: unknown): DeploymentManifest {
  return parseWith(manifest, body, 'deployment');
}
