import type { Deployment, DeploymentStatus, DeploymentTraffic, ServedVersionStatus, TrafficVersion } from '@capstan/contracts';
import type { Logger } from '../../../core/logger.js';
import type { ServingRegistry } from '../../registry/index.js';
import type { ServingEngine } from '../engine/serving-engine.js';
import { openServedVersion, queueSettingsOf, sessionOptionsOf, type QueueFactory, type QueueSettings } from '../engine/served-version-factory.js';
import type { ServedVersion } from '../engine/served-version.js';
import type { TrafficTable } from '../engine/traffic-table.js';
import type { ModelPool } from '../runtime/model-pool.js';
import { createRouter } from '../traffic/router.js';
import { stableVersion } from './traffic-resolution.js';

/** Where the reconciler reads deployments from: the database, or a fixed list (`capstan serve`). */
export interface DeploymentSource {
  /** A number that changes whenever any deployment changes. */
  latestRevision(): Promise<number>;
  list(): Promise<Deployment[]>;
}

export interface ReconcilerOptions {
  source: DeploymentSource;
  registry: Pick<ServingRegistry, 'resolve' | 'readModel'>;
  engine: ServingEngine;
  pool: ModelPool;
  makeQueue: QueueFactory;
  queueDefaults: QueueSettings;
  logger: Logger;
  /** Hears each model load this process did (seconds from fetch to warmed up), for metrics. */
  onModelLoaded?: (modelName: string, version: string, seconds: number) => void;
  /** Retry a version that failed to load after this long. Default 10 s. */
  retryFailedMs?: number;
  now?: () => number;
}

interface Installed {
  /** What the installed table was built from; equal keys mean nothing to do. */
  key: string;
  /** The part of `key` that shapes sessions and queues: while it stays, loaded versions are reused. */
  servingKey: string;
  revision: number;
}

interface VersionState {
  state: 'loading' | 'ready' | 'failed';
  error?: string;
  failedAt?: number;
}

/**
 * Makes this process serve what the deployments declare: loads the versions their traffic names
 * (through the shared pool), builds each deployment's traffic table and swaps it in, drops
 * deployments that are gone. Runs whenever the revision moves (and retries failed loads); never
 * two passes at once. The new versions load and warm up while the old table keeps serving, so a
 * version change is a hot swap.
 */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #installed = new Map<string, Installed>();
  /** Per deployment, per version: loading/ready/failed, for status. */
  readonly #versions = new Map<string, Map<string, VersionState>>();
  readonly #deployments = new Map<string, Deployment>();
  #revision: number | undefined;
  #running: Promise<void> = Promise.resolve();
  #failuresPending = false;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  /** Runs a pass after any pass in progress; resolves when it is done. */
  sync(): Promise<void> {
    const next = this.#running.then(() => this.#pass());
    this.#running = next.catch((err: unknown) => this.#o.logger.error({ err }, 'serving reconcile failed'));
    return next;
  }

  deployments(): Deployment[] {
    return [...this.#deployments.values()];
  }

  /** One deployment as this process serves it (a map lookup: the request path asks it). */
  deployment(name: string): Deployment | undefined {
    return this.#deployments.get(name);
  }

  status(deployment: Deployment): DeploymentStatus {
    const states = this.#versions.get(deployment.name);
    const entry = (v: TrafficVersion | NonNullable<DeploymentTraffic['shadow']>, role: 'traffic' | 'shadow', weight: number): ServedVersionStatus => {
      const s = states?.get(v.version);
      const installed = this.#installed.get(deployment.name)?.revision === deployment.revision;
      return {
        version: v.version,
        model_name: v.model_name,
        state: s?.state ?? (installed ? 'ready' : 'loading'),
        ...(s?.error ? { error: s.error } : {}),
        weight,
        role,
      };
    };
    const versions = deployment.traffic.versions.map((v) => entry(v, 'traffic', v.weight));
    if (deployment.traffic.shadow) versions.push(entry(deployment.traffic.shadow, 'shadow', 0));
    return {
      name: deployment.name,
      ready: this.#installed.get(deployment.name) !== undefined && this.#o.engine.table(deployment.name) !== undefined,
      revision: this.#installed.get(deployment.name)?.revision ?? 0,
      versions,
      canary: deployment.canary,
    };
  }

  async #pass(): Promise<void> {
    const revision = await this.#o.source.latestRevision();
    if (revision === this.#revision && !this.#failuresPending) return;
    const deployments = await this.#o.source.list();
    const names = new Set(deployments.map((d) => d.name));
    for (const name of [...this.#deployments.keys()]) {
      if (names.has(name)) continue;
      this.#deployments.delete(name);
      this.#installed.delete(name);
      this.#versions.delete(name);
      void this.#o.engine.remove(name);
    }
    for (const d of deployments) this.#deployments.set(d.name, d);
    const results = await Promise.all(deployments.map((d) => this.#apply(d)));
    this.#failuresPending = results.includes(false);
    this.#revision = revision;
  }

  /** False when a version failed to load (the pass is retried later). */
  async #apply(d: Deployment): Promise<boolean> {
    const { key, servingKey } = tableKeys(d);
    const installed = this.#installed.get(d.name);
    if (installed?.key === key) {
      installed.revision = d.revision;
      return true;
    }
    const states = this.#versions.get(d.name) ?? new Map<string, VersionState>();
    this.#versions.set(d.name, states);
    const now = (this.#o.now ?? Date.now)();
    const wanted = [...d.traffic.versions, ...(d.traffic.shadow ? [d.traffic.shadow] : [])];
    const waiting = wanted.filter((v) => {
      const s = states.get(v.version);
      return s?.state === 'failed' && now - (s.failedAt ?? 0) < (this.#o.retryFailedMs ?? 10_000);
    });
    if (waiting.length) return false;
    this.#o.engine.declare(d.name);

    const current = this.#o.engine.table(d.name);
    const settings = queueSettingsOf(d.spec, this.#o.queueDefaults);
    const options = sessionOptionsOf(d.spec);
    const reusable = current && installed?.servingKey === servingKey ? current : undefined;
    const opened: ServedVersion[] = [];
    const open = async (v: TrafficVersion | NonNullable<DeploymentTraffic['shadow']>): Promise<ServedVersion> => {
      const existing = reuse(reusable, v);
      if (existing) return existing;
      states.set(v.version, { state: 'loading' });
      const resolved = await this.#o.registry.resolve({ name: v.model_name, kind: 'version', version: Number(v.version) });
      const served = await openServedVersion(
        this.#o.pool,
        { deployment: d.name, modelName: v.model_name, version: Number(v.version), signature: resolved.signature, load: () => this.#o.registry.readModel(resolved), onLoaded: (seconds) => this.#o.onModelLoaded?.(v.model_name, v.version, seconds) },
        options,
        settings,
        this.#o.makeQueue,
      );
      opened.push(served);
      return served;
    };
    try {
      const versions = new Map<string, ServedVersion>();
      for (const [v, served] of await Promise.all(d.traffic.versions.map(async (v) => [v, await open(v)] as const))) versions.set(v.version, served);
      const shadow = d.traffic.shadow ? { served: await open(d.traffic.shadow), percent: d.traffic.shadow.percent } : undefined;
      const weights = Object.fromEntries(d.traffic.versions.map((v) => [v.version, v.weight]));
      const table: TrafficTable = {
        revision: d.revision,
        versions,
        picker: createRouter({ weights, sticky: d.spec.sticky_header !== undefined }),
        stickyHeader: d.spec.sticky_header?.toLowerCase(),
        primary: versions.get(stableVersion(d.traffic).version)!,
        shadow,
      };
      for (const v of wanted) states.set(v.version, { state: 'ready' });
      for (const old of [...states.keys()]) if (!wanted.some((v) => v.version === old)) states.delete(old);
      // Retiring the old versions waits for their requests; the pass need not.
      void this.#o.engine.install(d.name, table).catch((err: unknown) => this.#o.logger.error({ err, deployment: d.name }, 'retiring old versions failed'));
      this.#installed.set(d.name, { key, servingKey, revision: d.revision });
      this.#o.logger.info({ deployment: d.name, revision: d.revision, versions: [...versions.keys()], shadow: shadow?.served.version }, 'deployment serving');
      return true;
    } catch (err) {
      await Promise.all(opened.map((s) => s.retire()));
      const message = err instanceof Error ? err.message : String(err);
      for (const v of wanted) if (states.get(v.version)?.state === 'loading') states.set(v.version, { state: 'failed', error: message, failedAt: now });
      this.#o.engine.declare(d.name, `loading failed: ${message}`);
      this.#o.logger.error({ err, deployment: d.name }, 'deployment failed to load');
      return false;
    }
  }
}

/** Everything a traffic table is built from, and the session and queue settings within it. */
function tableKeys(d: Deployment): { key: string; servingKey: string } {
  const { runtime, batching, limits, sticky_header } = d.spec;
  const servingKey = JSON.stringify({ runtime, batching, limits });
  return { key: JSON.stringify({ servingKey, sticky_header, traffic: d.traffic }), servingKey };
}

function reuse(table: TrafficTable | undefined, v: { version: string; model_name: string }): ServedVersion | undefined {
  if (!table) return undefined;
  const candidates = [...table.versions.values(), ...(table.shadow ? [table.shadow.served] : [])];
  return candidates.find((s) => s.version === v.version && s.modelName === v.model_name);
}
