import { Gauge, Histogram, type Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../../../core/bound-metrics.js';
import { outcomeOf, type ServingOutcome } from '../engine/inference-engine.js';

/** How a request ended, one value per ServingError status plus success. */
export type RequestOutcome = ServingOutcome;
export { outcomeOf };

/** Why the inference log let a record go without writing it. */
/** Why a record was not written; `rate_limited` is by design (LogRateLimit), the rest are losses. */
export type InferenceLogDropReason = 'buffer_full' | 'sink_error' | 'closed' | 'rate_limited';

/** Where a request was served: a version of a deployment, reached through a protocol surface. */
export interface ServedTarget {
  readonly deployment: string;
  /** The registered model the version belongs to. */
  readonly model: string;
  readonly version: string;
  /** 'oip-rest' | 'oip-grpc' | 'kserve-v1' | 'mlflow': a closed set, so cardinality stays bounded. */
  readonly protocol: string;
}

/** Per-request recording for one served target; the Prometheus children behind it are bound once. */
export interface RequestMetrics {
  /** A request finished, with its outcome and its time from arrival to answer. */
  completed(outcome: RequestOutcome, seconds: number): void;
}

/** Recording for one version's queue and model runs (not tied to a protocol). */
export interface VersionMetrics {
  /** Time a request waited in the batching queue before its model run started. */
  queueWaited(seconds: number): void;
  /** One model run over `batchSize` requests' rows, taking `computeSeconds`. */
  batchRan(batchSize: number, computeSeconds: number): void;
  queueDepth(requests: number): void;
  /** A copy of a request sent to this version as shadow traffic, and a copy that failed. */
  shadowRequest(): void;
  shadowError(): void;
}

export interface ServingMetrics {
  /** The bound recorder for a target; the same object for the same target, so callers may keep it. */
  request(target: ServedTarget): RequestMetrics;
  /**
   * A request that never reached a served version (unknown deployment, undecodable body). Counted
   * without deployment, model or version labels, so a caller cannot mint series by inventing names.
   */
  unroutedRequest(protocol: string, outcome: RequestOutcome): void;
  version(deployment: string, model: string, version: string): VersionMetrics;
  modelLoaded(model: string, version: string, seconds: number): void;
  loadedModels(count: number): void;
  inferenceLogDropped(deployment: string, reason: InferenceLogDropReason, records: number): void;
  /**
   * Removes every series of a version that stopped being served, so dashboards do not show it
   * frozen at its last value. Model load times stay: the model may be loaded for another deployment.
   */
  forget(deployment: string, version: string): void;
}

/** Sub-millisecond (a small tabular model) up to the seconds a large model or a long queue takes. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const MODEL_LOAD_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const VERSION_LABELS = ['deployment', 'model', 'version'] as const;
const TARGET_LABELS = [...VERSION_LABELS, 'protocol'] as const;

/**
 * Serving's Prometheus metrics on the app's registry. Recording is on the request path, so each
 * recorder binds its label values once (`metric.labels(...)`) and every later call is a plain
 * increment or observation with no label object to hash.
 */
export function createServingMetrics(registry: Registry): ServingMetrics {
  const registers = [registry];
  const requests = new BoundCounter(
    'capstan_serving_requests_total',
    'Inference requests answered, by deployment, model, version, protocol and outcome.',
    [...TARGET_LABELS, 'outcome'],
    registers,
  );
  const requestDuration = new BoundHistogram(
    'capstan_serving_request_duration_seconds',
    'Time from an inference request reaching serving to its answer, whatever the outcome.',
    TARGET_LABELS,
    LATENCY_BUCKETS,
    registers,
  );
  const inferences = new BoundCounter(
    'capstan_serving_inferences_total',
    'Model runs (one per batch), by deployment, model and version.',
    VERSION_LABELS,
    registers,
  );
  const queueWait = new BoundHistogram(
    'capstan_serving_queue_wait_seconds',
    'Time a request waited in the batching queue before its model run started.',
    VERSION_LABELS,
    LATENCY_BUCKETS,
    registers,
  );
  const compute = new BoundHistogram(
    'capstan_serving_compute_seconds',
    'Time one model run took.',
    VERSION_LABELS,
    LATENCY_BUCKETS,
    registers,
  );
  const batchSize = new BoundHistogram(
    'capstan_serving_batch_size',
    'Requests combined into one model run.',
    VERSION_LABELS,
    BATCH_SIZE_BUCKETS,
    registers,
  );
  const queueDepth = new Gauge({
    name: 'capstan_serving_queue_depth',
    help: 'Requests waiting for a model run.',
    labelNames: VERSION_LABELS,
    registers,
  });
  const shadowRequests = new BoundCounter(
    'capstan_serving_shadow_requests_total',
    'Copies of requests sent to a version as shadow traffic.',
    VERSION_LABELS,
    registers,
  );
  const shadowErrors = new BoundCounter(
    'capstan_serving_shadow_errors_total',
    'Shadow copies that failed (their callers never see it).',
    VERSION_LABELS,
    registers,
  );
  const loaded = new Gauge({ name: 'capstan_serving_loaded_models', help: 'Models loaded in this process.', registers });
  const modelLoad = new Histogram({
    name: 'capstan_serving_model_load_seconds',
    help: 'Time to load a model version: fetch, session creation and warm-up.',
    labelNames: ['model', 'version'] as const,
    buckets: MODEL_LOAD_BUCKETS,
    registers,
  });
  const logDropped = new BoundCounter(
    'capstan_serving_inference_log_dropped_total',
    'Inference log records not written, by deployment and reason (rate_limited: over the per-second budget, by design).',
    ['deployment', 'reason'],
    registers,
  );

  const requestRecorders = new Map<string, TargetRecorder>();
  const versionRecorders = new Map<string, { labels: VersionLabels; recorder: VersionMetrics }>();
  const dropChildren = new Map<string, { inc(by?: number): void }>();

  function targetRecorder(target: ServedTarget): TargetRecorder {
    const labels = { deployment: target.deployment, model: target.model, version: target.version, protocol: target.protocol };
    const duration = requestDuration.bind(labels);
    const outcomes = new Map<RequestOutcome, { inc(): void }>();
    return {
      labels,
      outcomes,
      completed(outcome, seconds) {
        let counter = outcomes.get(outcome);
        if (!counter) {
          counter = requests.bind({ ...labels, outcome });
          outcomes.set(outcome, counter);
        }
        counter.inc();
        duration.observe(seconds);
      },
    };
  }

  function versionRecorder(labels: VersionLabels): VersionMetrics {
    const waited = queueWait.bind(labels);
    const ran = inferences.bind(labels);
    const computed = compute.bind(labels);
    const sized = batchSize.bind(labels);
    const depth = queueDepth.labels(labels);
    const shadows = shadowRequests.bind(labels);
    const shadowFailures = shadowErrors.bind(labels);
    return {
      queueWaited: (seconds) => waited.observe(seconds),
      batchRan(size, seconds) {
        ran.inc();
        sized.observe(size);
        computed.observe(seconds);
      },
      queueDepth: (requests) => depth.set(requests),
      shadowRequest: () => shadows.inc(),
      shadowError: () => shadowFailures.inc(),
    };
  }

  return {
    request(target) {
      const key = seriesKey(target.deployment, target.version, target.model, target.protocol);
      let recorder = requestRecorders.get(key);
      if (!recorder) {
        recorder = targetRecorder(target);
        requestRecorders.set(key, recorder);
      }
      return recorder;
    },
    unroutedRequest(protocol, outcome) {
      requests.bind({ deployment: '', model: '', version: '', protocol, outcome }).inc();
    },
    version(deployment, model, version) {
      const key = seriesKey(deployment, version, model);
      let entry = versionRecorders.get(key);
      if (!entry) {
        const labels = { deployment, model, version };
        entry = { labels, recorder: versionRecorder(labels) };
        versionRecorders.set(key, entry);
      }
      return entry.recorder;
    },
    modelLoaded: (model, version, seconds) => modelLoad.observe({ model, version }, seconds),
    loadedModels: (count) => loaded.set(count),
    inferenceLogDropped(deployment, reason, records) {
      const key = seriesKey(deployment, reason);
      let counter = dropChildren.get(key);
      if (!counter) {
        counter = logDropped.bind({ deployment, reason });
        dropChildren.set(key, counter);
      }
      counter.inc(records);
    },
    forget(deployment, version) {
      const prefix = seriesKey(deployment, version, '');
      for (const [key, recorder] of requestRecorders) {
        if (!key.startsWith(prefix)) continue;
        for (const outcome of recorder.outcomes.keys()) requests.remove({ ...recorder.labels, outcome });
        requestDuration.remove(recorder.labels);
        requestRecorders.delete(key);
      }
      for (const [key, { labels }] of versionRecorders) {
        if (!key.startsWith(prefix)) continue;
        for (const metric of [queueWait, inferences, compute, batchSize, queueDepth, shadowRequests, shadowErrors]) metric.remove(labels);
        versionRecorders.delete(key);
      }
    },
  };
}

type VersionLabels = { deployment: string; model: string; version: string };

interface TargetRecorder extends RequestMetrics {
  readonly labels: VersionLabels & { protocol: string };
  /** The outcome children created so far, so `forget` removes exactly those series. */
  readonly outcomes: ReadonlyMap<RequestOutcome, { inc(): void }>;
}

/**
 * A map key from label values. The separator cannot appear in a deployment name or a version, and
 * the first two parts are always deployment then version, so `forget` can match on the prefix.
 */
function seriesKey(...parts: string[]): string {
  return parts.join('\u0000');
}
