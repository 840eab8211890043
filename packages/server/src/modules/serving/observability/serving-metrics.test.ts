import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ServingError } from '../engine/inference-engine.js';
import { createServingMetrics, outcomeOf } from './serving-metrics.js';

const FRAUD_V3 = { deployment: 'fraud', model: 'fraud-model', version: '3' };
const V3_LABELS = 'deployment="fraud",model="fraud-model",version="3"';

function setup() {
  const registry = new Registry();
  return { registry, metrics: createServingMetrics(registry) };
}

/** The sample lines of the exposition text for one metric name (no HELP/TYPE lines). */
async function samples(registry: Registry, name: string): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('serving metrics', () => {
  it('counts requests by outcome and times them, per deployment, model, version and protocol', async () => {
    const { registry, metrics } = setup();
    const rest = metrics.request({ ...FRAUD_V3, protocol: 'oip-rest' });
    rest.completed('ok', 0.0004);
    rest.completed('ok', 0.002);
    rest.completed('timeout', 3);
    metrics.request({ ...FRAUD_V3, protocol: 'oip-grpc' }).completed('ok', 0.001);

    expect(await samples(registry, 'capstan_serving_requests_total')).toEqual([
      `capstan_serving_requests_total{${V3_LABELS},protocol="oip-rest",outcome="ok"} 2`,
      `capstan_serving_requests_total{${V3_LABELS},protocol="oip-rest",outcome="timeout"} 1`,
      `capstan_serving_requests_total{${V3_LABELS},protocol="oip-grpc",outcome="ok"} 1`,
    ]);
    const duration = await samples(registry, 'capstan_serving_request_duration_seconds_bucket');
    // Sub-millisecond answers land in their own buckets.
    expect(duration).toContain(`capstan_serving_request_duration_seconds_bucket{le="0.0005",${V3_LABELS},protocol="oip-rest"} 1`);
    expect(duration).toContain(`capstan_serving_request_duration_seconds_bucket{le="0.0025",${V3_LABELS},protocol="oip-rest"} 2`);
    expect(await samples(registry, 'capstan_serving_request_duration_seconds_count')).toContain(
      `capstan_serving_request_duration_seconds_count{${V3_LABELS},protocol="oip-rest"} 3`,
    );
  });

  it('hands back the same bound recorder for the same target', () => {
    const { metrics } = setup();
    const target = { ...FRAUD_V3, protocol: 'oip-rest' };
    expect(metrics.request(target)).toBe(metrics.request({ ...target }));
    expect(metrics.request(target)).not.toBe(metrics.request({ ...target, protocol: 'kserve-v1' }));
    expect(metrics.version('fraud', 'fraud-model', '3')).toBe(metrics.version('fraud', 'fraud-model', '3'));
  });

  it('counts requests that reached no version without deployment labels', async () => {
    const { registry, metrics } = setup();
    metrics.unroutedRequest('oip-rest', 'not_found');
    expect(await samples(registry, 'capstan_serving_requests_total')).toEqual([
      'capstan_serving_requests_total{deployment="",model="",version="",protocol="oip-rest",outcome="not_found"} 1',
    ]);
  });

  it('records queue wait, model runs, batch sizes, queue depth and shadow traffic per version', async () => {
    const { registry, metrics } = setup();
    const v3 = metrics.version('fraud', 'fraud-model', '3');
    v3.queueWaited(0.0002);
    v3.batchRan(8, 0.003);
    v3.batchRan(1, 0.0005);
    v3.queueDepth(5);
    v3.shadowRequest();
    v3.shadowRequest();
    v3.shadowError();

    expect(await samples(registry, 'capstan_serving_inferences_total')).toEqual([`capstan_serving_inferences_total{${V3_LABELS}} 2`]);
    expect(await samples(registry, 'capstan_serving_batch_size_bucket')).toContain(`capstan_serving_batch_size_bucket{le="8",${V3_LABELS}} 2`);
    expect(await samples(registry, 'capstan_serving_batch_size_sum')).toEqual([`capstan_serving_batch_size_sum{${V3_LABELS}} 9`]);
    expect(await samples(registry, 'capstan_serving_compute_seconds_count')).toEqual([`capstan_serving_compute_seconds_count{${V3_LABELS}} 2`]);
    expect(await samples(registry, 'capstan_serving_queue_wait_seconds_bucket')).toContain(`capstan_serving_queue_wait_seconds_bucket{le="0.00025",${V3_LABELS}} 1`);
    expect(await samples(registry, 'capstan_serving_queue_depth')).toEqual([`capstan_serving_queue_depth{${V3_LABELS}} 5`]);
    expect(await samples(registry, 'capstan_serving_shadow_requests_total')).toEqual([`capstan_serving_shadow_requests_total{${V3_LABELS}} 2`]);
    expect(await samples(registry, 'capstan_serving_shadow_errors_total')).toEqual([`capstan_serving_shadow_errors_total{${V3_LABELS}} 1`]);
  });

  it('records model loads, loaded models and dropped inference log records', async () => {
    const { registry, metrics } = setup();
    metrics.modelLoaded('fraud-model', '3', 1.7);
    metrics.loadedModels(2);
    metrics.inferenceLogDropped('fraud', 'buffer_full', 3);
    metrics.inferenceLogDropped('fraud', 'buffer_full', 1);
    metrics.inferenceLogDropped('fraud', 'sink_error', 500);

    expect(await samples(registry, 'capstan_serving_model_load_seconds_bucket')).toContain('capstan_serving_model_load_seconds_bucket{le="2.5",model="fraud-model",version="3"} 1');
    expect(await samples(registry, 'capstan_serving_loaded_models')).toEqual(['capstan_serving_loaded_models 2']);
    expect(await samples(registry, 'capstan_serving_inference_log_dropped_total')).toEqual([
      'capstan_serving_inference_log_dropped_total{deployment="fraud",reason="buffer_full"} 4',
      'capstan_serving_inference_log_dropped_total{deployment="fraud",reason="sink_error"} 500',
    ]);
  });

  it('forgets every series of an unloaded version and keeps the others', async () => {
    const { registry, metrics } = setup();
    metrics.request({ ...FRAUD_V3, protocol: 'oip-rest' }).completed('ok', 0.001);
    metrics.request({ ...FRAUD_V3, protocol: 'oip-rest' }).completed('error', 0.001);
    metrics.version('fraud', 'fraud-model', '3').batchRan(1, 0.001);
    metrics.request({ deployment: 'fraud', model: 'fraud-model', version: '30', protocol: 'oip-rest' }).completed('ok', 0.001);

    metrics.forget('fraud', '3');

    const text = await registry.metrics();
    expect(text).not.toContain('version="3"');
    expect(text).toContain('capstan_serving_requests_total{deployment="fraud",model="fraud-model",version="30",protocol="oip-rest",outcome="ok"} 1');
    // Serving the version again starts its series afresh.
    metrics.request({ ...FRAUD_V3, protocol: 'oip-rest' }).completed('ok', 0.001);
    expect(await samples(registry, 'capstan_serving_requests_total')).toContain(`capstan_serving_requests_total{${V3_LABELS},protocol="oip-rest",outcome="ok"} 1`);
  });

  it('maps failures to outcomes', () => {
    expect(outcomeOf(new ServingError(400, 'bad'))).toBe('bad_request');
    expect(outcomeOf(new ServingError(404, 'gone'))).toBe('not_found');
    expect(outcomeOf(new ServingError(415, 'xml'))).toBe('unsupported_media_type');
    expect(outcomeOf(new ServingError(429, 'full'))).toBe('overloaded');
    expect(outcomeOf(new ServingError(503, 'loading'))).toBe('not_ready');
    expect(outcomeOf(new ServingError(504, 'late'))).toBe('timeout');
    expect(outcomeOf(new Error('onnx crashed'))).toBe('error');
  });
});
