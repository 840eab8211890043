import type { RuntimeTensor } from '../../../ports/inference-runtime.js';
import type { Tensor } from '../protocol/datatypes.js';
import {
  outcomeOf,
  ServingError,
  type DeploymentView,
  type InferenceCall,
  type InferenceEngine,
  type InferenceResult,
  type ServedVersionView,
  type ServingOutcome,
} from './inference-engine.js';
import { checkInputs } from './input-check.js';
import type { ServedVersion } from './served-version.js';
import { fromRuntimeTensor, toRuntimeTensor } from './tensor-bridge.js';
import { servedIn, type TrafficTable } from './traffic-table.js';

/** How a request ended, for metrics: a Prometheus label, so a closed set. */
export type Outcome = ServingOutcome;

export interface ServedEvent {
  readonly deployment: string;
  readonly served: ServedVersion;
  readonly protocol: string;
  readonly requestId: string;
  readonly outcome: Outcome;
  /** From the engine receiving the call to the answer (queue + compute). */
  readonly seconds: number;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[] | undefined;
}

export interface ShadowEvent {
  readonly deployment: string;
  readonly primary: ServedEvent;
  readonly shadow: ServedVersion;
  readonly seconds: number;
  readonly outputs: readonly Tensor[] | undefined;
  readonly error: unknown;
}

/** Hears about every request; must not throw and must return quickly (it runs on the request path). */
export interface InferenceObserver {
  served(event: ServedEvent): void;
  shadowed(event: ShadowEvent): void;
}

/**
 * Turns a request's tensors into the model's inputs when they are not already (tabular callers
 * send one tensor per signature column). Returns the tensors unchanged when they fit.
 */
export type InputAdapter = (inputs: readonly Tensor[], view: ServedVersionView) => readonly Tensor[];

interface DeploymentSlot {
  table: TrafficTable | undefined;
  /** Why the deployment is not ready, when it is not. */
  problem: string | undefined;
}

const VERSION_HEADER = 'x-capstan-version';

/**
 * The serving data plane: deployments by name, each with its current traffic table. The
 * controller installs tables; the protocols call `infer`. Nothing here awaits between choosing a
 * version and submitting to its queue, so a table swapped in the meantime cannot retire a version
 * a request has chosen but not yet entered.
 */
export class ServingEngine implements InferenceEngine {
  readonly #slots = new Map<string, DeploymentSlot>();
  readonly #observer: InferenceObserver;
  readonly #adaptInputs: InputAdapter;
  readonly #random: () => number;
  #closed = false;

  constructor(options: { observer: InferenceObserver; adaptInputs?: InputAdapter; random?: () => number }) {
    this.#observer = options.observer;
    this.#adaptInputs = options.adaptInputs ?? ((inputs) => inputs);
    this.#random = options.random ?? Math.random;
  }

  live(): boolean {
    return !this.#closed;
  }

  ready(): boolean {
    if (this.#closed) return false;
    for (const slot of this.#slots.values()) if (slot.table === undefined) return false;
    return true;
  }

  names(): string[] {
    return [...this.#slots.keys()];
  }

  /** Announces a deployment whose versions are still loading (requests get 503 meanwhile). */
  declare(name: string, problem = 'its model is loading'): void {
    const slot = this.#slots.get(name);
    if (slot === undefined) this.#slots.set(name, { table: undefined, problem });
    else if (slot.table === undefined) slot.problem = problem;
  }

  table(name: string): TrafficTable | undefined {
    return this.#slots.get(name)?.table;
  }

  /**
   * Switches a deployment to a new table in one step; versions only the old table held finish
   * the requests they have, then give their sessions back (the hot swap).
   */
  install(name: string, table: TrafficTable): Promise<void> {
    const slot = this.#slots.get(name);
    const old = slot?.table;
    if (slot === undefined) this.#slots.set(name, { table, problem: undefined });
    else {
      slot.table = table;
      slot.problem = undefined;
    }
    if (old === undefined) return Promise.resolve();
    const kept = new Set(servedIn(table));
    return Promise.all(servedIn(old).filter((s) => !kept.has(s)).map((s) => s.retire())).then(() => undefined);
  }

  /** Stops serving a deployment; its versions drain and are released. */
  remove(name: string): Promise<void> {
    const slot = this.#slots.get(name);
    this.#slots.delete(name);
    const table = slot?.table;
    return table ? Promise.all(servedIn(table).map((s) => s.retire())).then(() => undefined) : Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.names().map((n) => this.remove(n)));
  }

  deployment(name: string): DeploymentView {
    const slot = this.#slot(name);
    const table = slot.table;
    if (table === undefined) return { name, ready: false, versions: [], primary: undefined };
    const versions = servedIn(table).map((s) => s.view).sort((a, b) => Number(a.version) - Number(b.version));
    return { name, ready: true, versions, primary: table.primary.view };
  }

  version(name: string, version?: string): ServedVersionView {
    const slot = this.#slot(name);
    const table = slot.table;
    if (table === undefined) throw new ServingError(503, `deployment '${name}' is not ready: ${slot.problem ?? 'its model is loading'}`, 1);
    if (version === undefined) return table.primary.view;
    const served = findVersion(table, version);
    if (!served) throw new ServingError(404, `deployment '${name}' does not serve version '${version}' (it serves ${servedIn(table).map((s) => s.version).join(', ')})`);
    return served.view;
  }

  infer(call: InferenceCall): Promise<InferenceResult> {
    const started = performance.now();
    const slot = this.#slots.get(call.deployment);
    if (slot === undefined) return Promise.reject(new ServingError(404, `unknown deployment '${call.deployment}'`));
    const table = slot.table;
    if (table === undefined) return Promise.reject(new ServingError(503, `deployment '${call.deployment}' is not ready: ${slot.problem ?? 'its model is loading'}`, 1));

    const named = call.version ?? call.header?.(VERSION_HEADER);
    let served: ServedVersion | undefined;
    if (named !== undefined) {
      served = findVersion(table, named);
      if (served === undefined) return Promise.reject(new ServingError(404, `deployment '${call.deployment}' does not serve version '${named}'`));
    } else {
      const stickyKey = call.routingKey ?? (table.stickyHeader ? call.header?.(table.stickyHeader) : undefined);
      served = table.versions.get(table.picker.pick(stickyKey === undefined ? {} : { stickyKey }));
      if (served === undefined) return Promise.reject(new Error(`the router of '${call.deployment}' picked a version the table does not hold`));
    }

    let feeds: Record<string, RuntimeTensor>;
    let inputs: readonly Tensor[];
    try {
      inputs = this.#adaptInputs(typeof call.inputs === 'function' ? call.inputs(served.view) : call.inputs, served.view);
      checkInputs(inputs, served.view.inputs, call.deployment);
      checkOutputs(call.outputNames, served.view, call.deployment);
      feeds = {};
      for (const tensor of inputs) feeds[tensor.name] = toRuntimeTensor(tensor);
    } catch (err) {
      this.#report(call, served, started, [], undefined, err);
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const shadow = table.shadow && table.shadow.percent > 0 && this.#random() * 100 < table.shadow.percent ? table.shadow.served : undefined;
    const primary = served;
    return primary.queue.submit(feeds, call.outputNames).then(
      (raw) => {
        const outputs = collectOutputs(raw, call.outputNames, primary.view);
        const event = this.#report(call, primary, started, inputs, outputs, undefined);
        if (shadow) this.#mirror(event, shadow, feeds, call.outputNames);
        return { deployment: call.deployment, version: primary.version, outputs };
      },
      (err: unknown) => {
        this.#report(call, primary, started, inputs, undefined, err);
        throw err;
      },
    );
  }

  #slot(name: string): DeploymentSlot {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new ServingError(404, `unknown deployment '${name}'`);
    return slot;
  }

  #report(call: InferenceCall, served: ServedVersion, started: number, inputs: readonly Tensor[], outputs: readonly Tensor[] | undefined, err: unknown): ServedEvent {
    const event: ServedEvent = {
      deployment: call.deployment,
      served,
      protocol: call.protocol,
      requestId: call.requestId,
      outcome: err === undefined ? 'ok' : outcomeOf(err),
      seconds: (performance.now() - started) / 1000,
      inputs,
      outputs,
    };
    this.#observer.served(event);
    return event;
  }

  /** The shadow's answer is recorded, never returned; its failures stay with it. */
  #mirror(primary: ServedEvent, shadow: ServedVersion, feeds: Record<string, RuntimeTensor>, outputNames: readonly string[] | undefined): void {
    const started = performance.now();
    const done = (outputs: readonly Tensor[] | undefined, error: unknown) =>
      this.#observer.shadowed({ deployment: primary.deployment, primary, shadow, seconds: (performance.now() - started) / 1000, outputs, error });
    let names = outputNames;
    if (names && !names.every((n) => shadow.view.outputs.some((o) => o.name === n))) names = undefined;
    if (!shadow.view.inputs.every((i) => feeds[i.name] !== undefined)) {
      done(undefined, new Error('the shadow version takes different inputs'));
      return;
    }
    shadow.queue.submit(feeds, names).then(
      (raw) => done(collectOutputs(raw, names, shadow.view), undefined),
      (err: unknown) => done(undefined, err),
    );
  }
}

function findVersion(table: TrafficTable, version: string): ServedVersion | undefined {
  const served = table.versions.get(version);
  if (served) return served;
  return table.shadow?.served.version === version ? table.shadow.served : undefined;
}

function checkOutputs(names: readonly string[] | undefined, view: ServedVersionView, deployment: string): void {
  if (names === undefined) return;
  for (const name of names) {
    if (!view.outputs.some((o) => o.name === name)) {
      throw new ServingError(400, `model '${deployment}' has no output '${name}' (its outputs: ${view.outputs.map((o) => o.name).join(', ')})`);
    }
  }
}

/** In the order asked for, else the model's declared order. */
function collectOutputs(raw: Record<string, RuntimeTensor>, names: readonly string[] | undefined, view: ServedVersionView): Tensor[] {
  const order = names ?? view.outputs.map((o) => o.name);
  const out: Tensor[] = [];
  for (const name of order) {
    const tensor = raw[name];
    if (tensor === undefined) throw new Error(`the model returned no output '${name}'`);
    out.push(fromRuntimeTensor(name, tensor));
  }
  return out;
}
