import type { LoadedModel, RuntimeTensor } from '../../../ports/inference-runtime.js';
import type { ServedVersionView } from './inference-engine.js';

/** Runs a model's requests (the batching queue, or the session directly). */
export interface RunQueue {
  submit(feeds: Readonly<Record<string, RuntimeTensor>>, outputNames?: readonly string[]): Promise<Record<string, RuntimeTensor>>;
  readonly inFlight: number;
  readonly depth: number;
  drain(): Promise<void>;
}

/**
 * One loaded model version inside a deployment: the session lease, the queue in front of it and
 * what the protocols describe. Deployments that serve the same registry version share the
 * session (the pool loads it once) but each has its own queue, so one deployment's burst cannot
 * fill another's queue.
 */
export interface ServedVersion {
  /** The pool key: `<model name>/<version>` plus the session options that shaped it. */
  readonly key: string;
  readonly modelName: string;
  readonly version: string;
  readonly view: ServedVersionView;
  readonly model: LoadedModel;
  readonly queue: RunQueue;
  /** Waits for requests in flight, then gives the lease back. */
  retire(): Promise<void>;
}
