import type { CanarySpec, Deployment, DeploymentManifest, DeploymentSpec, DeploymentTraffic, TrafficVersion } from '@capstan/contracts';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { aliasKey, parseModelUri, type ServingRegistry } from '../../registry/serving.api.js';
import type { DeploymentStore } from '../deployments/deployment-store.js';
import { startCanary, transitionCanary, type CanaryAction, type CanaryConfig, type CanaryInput, type CanaryState } from '../traffic/index.js';
import type { CanaryWatch } from './canary-watch.js';
import { assertDistinctVersionNumbers, resolveServable, resolveTraffic, stableVersion } from './traffic-resolution.js';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';
export type CanaryCommand = 'pause' | 'resume' | 'abort' | 'promote';

export interface DeploymentServiceOptions {
  store: DeploymentStore;
  registry: ServingRegistry;
  watch: CanaryWatch;
  logger: Logger;
  /** Asks the reconciler to act on a change now rather than at its next poll; resolves when it has. */
  changed(): Promise<void>;
  now?: () => number;
}

const SYSTEM_ACTOR = 'capstan-serving';

/**
 * The deployment control plane: declared specs become resolved traffic; traffic changes (weights,
 * rollback, canary steps, alias moves) are written with a revision check, so two replicas or two
 * users never interleave half a change. The data plane (the reconciler) follows the store.
 */
export class DeploymentService {
  readonly #o: DeploymentServiceOptions;
  readonly #now: () => number;

  constructor(options: DeploymentServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  async create(manifest: DeploymentManifest & { workspace: string }, actor: string | null): Promise<Deployment> {
    const traffic = await resolveTraffic(manifest.spec, this.#o.registry);
    const created = await this.#o.store.create(manifest, traffic, actor);
    // Not awaited: the model loads in the background, and status reports when it is ready.
    void this.#o.changed();
    return created;
  }

  /** `capstan apply -f`: create, or replace the spec; an identical spec changes nothing. */
  async apply(manifest: DeploymentManifest & { workspace: string }, actor: string | null): Promise<{ deployment: Deployment; outcome: ApplyOutcome }> {
    const current = await this.#o.store.find(manifest.name);
    if (!current) return { deployment: await this.create(manifest, actor), outcome: 'created' };
    if (current.workspace !== manifest.workspace) {
      throw invalidParameter(`Deployment '${manifest.name}' belongs to workspace ${current.workspace}; it cannot move to ${manifest.workspace}`);
    }
    const description = manifest.description ?? null;
    if (JSON.stringify(current.spec) === JSON.stringify(manifest.spec) && current.description === description) return { deployment: current, outcome: 'unchanged' };
    const traffic = await resolveTraffic(manifest.spec, this.#o.registry);
    const deployment = await this.#o.store.update(manifest.name, { spec: manifest.spec, description, traffic, previousTraffic: current.traffic, canary: null }, actor, current.revision);
    void this.#o.changed();
    return { deployment, outcome: 'updated' };
  }

  async delete(name: string): Promise<Deployment> {
    const deleted = await this.#o.store.delete(name);
    this.#o.watch.unwatch(name);
    // Once this resolves the deployment answers 404 on this replica.
    await this.#o.changed();
    return deleted;
  }

  /** New weights for versions the deployment already serves (blue-green is 100/0 moved in one call). */
  async setTraffic(name: string, weights: Record<string, number>, actor: string | null): Promise<Deployment> {
    const current = await this.#o.store.require(name);
    assertNoActiveCanary(current);
    const served = new Set(current.traffic.versions.map((v) => v.version));
    for (const [version, weight] of Object.entries(weights)) {
      if (!served.has(version)) throw invalidParameter(`Deployment '${name}' does not serve version ${version} (it serves ${[...served].join(', ')}); add it to spec.models first`);
      if (!Number.isFinite(weight) || weight < 0) throw invalidParameter(`weights.${version} must be a non-negative number`);
    }
    const versions = current.traffic.versions.map((v) => ({ ...v, weight: weights[v.version] ?? v.weight }));
    if (!versions.some((v) => v.weight > 0)) throw invalidParameter('At least one version needs a positive weight');
    return this.#write(current, { traffic: { ...current.traffic, versions }, previousTraffic: current.traffic }, actor);
  }

  /** Instant rollback: a canary in progress is aborted; otherwise the traffic before the last change returns. */
  async rollback(name: string, actor: string | null): Promise<Deployment> {
    const current = await this.#o.store.require(name);
    const canary = current.canary as CanaryState | null;
    if (canary && (canary.status === 'progressing' || canary.status === 'paused')) return this.canaryCommand(name, 'abort', actor, 'rolled back by a user');
    const previous = await this.#o.store.previousTraffic(name);
    if (!previous) throw new CapstanError('INVALID_STATE', `Deployment '${name}' has no earlier traffic to roll back to`);
    return this.#write(current, { traffic: previous, previousTraffic: current.traffic }, actor);
  }

  async startCanary(name: string, request: CanarySpec, actor: string | null): Promise<Deployment> {
    const current = await this.#o.store.require(name);
    assertNoActiveCanary(current);
    const candidate = await resolveServable(request.uri, this.#o.registry);
    const stable = stableVersion(current.traffic);
    if (String(candidate.version) === stable.version && candidate.modelName === stable.model_name) throw invalidParameter(`${request.uri} is already the stable version of '${name}'`);
    const settings = { ...current.spec.canary, ...stripUri(request) };
    const config = canaryConfig(String(candidate.version), stable.version, settings);
    const { state, actions } = startCanary(config, this.#now());
    const withCandidate: DeploymentTraffic = {
      ...current.traffic,
      versions: [...current.traffic.versions.filter((v) => v.version === stable.version), { version: String(candidate.version), model_name: candidate.modelName, weight: 0, uri: request.uri }],
    };
    assertDistinctVersionNumbers(withCandidate.versions);
    const traffic = applyWeights(withCandidate, actions);
    this.#o.watch.watch(name, [stable.version, String(candidate.version)], settings.analysis?.prediction_output);
    return this.#write(current, { traffic, previousTraffic: current.traffic, canary: state }, actor);
  }

  async canaryCommand(name: string, command: CanaryCommand, actor: string | null, why?: string): Promise<Deployment> {
    const current = await this.#o.store.require(name);
    const state = current.canary as CanaryState | null;
    if (!state) throw new CapstanError('INVALID_STATE', `Deployment '${name}' has no canary`);
    const reason = `${why ?? command} by ${actor ?? 'anonymous'}`;
    const input: CanaryInput = command === 'promote' ? { type: 'promoteNow', reason } : { type: command, reason };
    return this.#transition(current, state, input, actor);
  }

  /**
   * The periodic work on the deployments this replica last loaded: a tick for every canary in
   * progress (on this replica's window figures) and a roll for every deployment whose followed
   * alias moved (all aliases read in one query). Each change is one revision-checked write; a
   * conflict means another replica or a user got there first, or the list was stale.
   */
  async tick(deployments: readonly Deployment[]): Promise<void> {
    const following = deployments.map((d) => ({ d, followed: followedAliases(d) }));
    const targets = await this.#o.registry.aliasTargets(following.flatMap((f) => f.followed));
    for (const { d, followed } of following) {
      try {
        const canary = d.canary as CanaryState | null;
        if (canary?.status === 'progressing') await this.#canaryTick(d, canary);
        else if (followed.length) await this.#followAliases(d, followed, targets);
      } catch (err) {
        if (err instanceof CapstanError && err.code === 'RESOURCE_CONFLICT') continue;
        this.#o.logger.error({ err, deployment: d.name }, 'deployment tick failed');
      }
    }
  }

  async #canaryTick(d: Deployment, state: CanaryState & { status: 'progressing' }): Promise<void> {
    const { stable, candidate } = state.config;
    this.#o.watch.watch(d.name, [stable, candidate], d.spec.canary?.analysis?.prediction_output);
    const window = {
      stable: this.#o.watch.snapshot(d.name, stable) ?? empty,
      candidate: this.#o.watch.snapshot(d.name, candidate) ?? empty,
    };
    await this.#transition(d, state, { type: 'tick', window }, SYSTEM_ACTOR);
  }

  async #transition(d: Deployment, state: CanaryState, input: CanaryInput, actor: string | null): Promise<Deployment> {
    const { state: next, actions } = transitionCanary(state, input, this.#now());
    if (next === state && !actions.length) return d;
    let traffic = applyWeights(d.traffic, actions);
    for (const action of actions) {
      if ('promote' in action) traffic = promoted(traffic, action.promote.version, state.config.stable, action.promote.moveAlias);
      if ('rollback' in action) traffic = onlyVersion(traffic, state.config.stable);
    }
    const written = await this.#write(d, { traffic, canary: next, ...(actions.length ? { previousTraffic: d.traffic } : {}) }, actor);
    if (actions.some((a) => 'setWeights' in a)) this.#o.watch.reset(d.name);
    for (const action of actions) {
      if ('promote' in action && action.promote.moveAlias) await this.#moveAlias(written, action.promote.version, action.promote.moveAlias);
      if ('rollback' in action) this.#o.logger.warn({ deployment: d.name, reason: action.rollback.reason }, 'canary rolled back');
    }
    if (next.status !== 'progressing' && next.status !== 'paused') this.#o.watch.unwatch(d.name);
    return written;
  }

  /** Moves the alias through the registry's promotion rules; a refusal is recorded, not fatal. */
  async #moveAlias(d: Deployment, version: string, alias: string): Promise<void> {
    const entry = d.traffic.versions.find((v) => v.version === version);
    if (!entry) return;
    try {
      await this.#o.registry.moveAlias({ name: entry.model_name, alias, version: Number(version), actor: SYSTEM_ACTOR });
    } catch (err) {
      this.#o.logger.warn({ err, deployment: d.name, alias }, 'canary promoted, but the alias was not moved');
    }
  }

  async #followAliases(d: Deployment, followed: readonly FollowedAlias[], targets: ReadonlyMap<string, number>): Promise<void> {
    const policy = d.spec.on_alias_move ?? 'swap';
    const moved = followed.filter((f) => {
      const target = targets.get(aliasKey(f.name, f.alias));
      return target !== undefined && String(target) !== f.entry.version;
    });
    if (!moved.length) return;
    if (policy === 'canary' && moved.length === 1 && d.traffic.versions.length === 1) {
      const m = moved[0]!;
      const target = String(targets.get(aliasKey(m.name, m.alias)));
      // A candidate this deployment already rolled back stays out until the alias moves again.
      const last = d.canary as CanaryState | null;
      if (last && (last.status === 'rolled_back' || last.status === 'aborted') && last.config.candidate === target) return;
      this.#o.logger.info({ deployment: d.name, alias: `${m.name}@${m.alias}`, from: m.entry.version, to: target }, 'alias moved: starting a canary');
      // The candidate's URI is the alias itself, so once promoted the deployment keeps following it.
      await this.startCanary(d.name, { uri: m.entry.uri! }, SYSTEM_ACTOR);
      return;
    }
    const versions: TrafficVersion[] = d.traffic.versions.map((v) => {
      const m = moved.find((x) => x.entry === v);
      return m ? { ...v, version: String(targets.get(aliasKey(m.name, m.alias))) } : v;
    });
    assertDistinctVersionNumbers(versions);
    this.#o.logger.info({ deployment: d.name, versions: versions.map((v) => v.version) }, 'alias moved: rolling to the new version');
    await this.#write(d, { traffic: { ...d.traffic, versions }, previousTraffic: d.traffic }, SYSTEM_ACTOR);
  }

  async #write(d: Deployment, change: Parameters<DeploymentStore['update']>[1], actor: string | null): Promise<Deployment> {
    const written = await this.#o.store.update(d.name, change, actor, d.revision);
    void this.#o.changed();
    return written;
  }
}

const empty = { requests: 0, errors: 0, latencySamples: [], predictionSamples: [] };

interface FollowedAlias {
  entry: TrafficVersion;
  name: string;
  alias: string;
}

/** The traffic entries whose URI names an alias the deployment follows (none with `on_alias_move: ignore`). */
function followedAliases(d: Deployment): FollowedAlias[] {
  if (d.spec.on_alias_move === 'ignore') return [];
  return d.traffic.versions.flatMap((entry) => {
    const uri = entry.uri ? parseModelUri(entry.uri) : undefined;
    return uri?.kind === 'alias' ? [{ entry, name: uri.name, alias: uri.alias }] : [];
  });
}

function assertNoActiveCanary(d: Deployment): void {
  const canary = d.canary as CanaryState | null;
  if (canary && (canary.status === 'progressing' || canary.status === 'paused')) {
    throw new CapstanError('INVALID_STATE', `Deployment '${d.name}' has a canary in progress (candidate ${canary.config.candidate}); promote or abort it first`);
  }
}

function stripUri(request: CanarySpec): Omit<CanarySpec, 'uri'> {
  const { uri: _uri, ...rest } = request;
  return rest;
}

/** The spec's settings with Capstan's defaults: [10, 25, 50, 100] every 60 s, 100 requests a step. */
export function canaryConfig(candidate: string, stable: string, s: NonNullable<DeploymentSpec['canary']>): CanaryConfig {
  const a = s.analysis ?? {};
  return {
    candidate,
    stable,
    steps: s.steps ?? [10, 25, 50, 100],
    stepIntervalSeconds: s.step_interval_seconds ?? 60,
    analysis: {
      minRequests: a.min_requests ?? 100,
      maxErrorRateIncrease: a.max_error_rate_increase ?? 0.01,
      maxLatencyP99Ratio: a.max_latency_p99_ratio ?? 1.5,
      driftTest: 'ks',
      driftPValueThreshold: a.drift_p_value ?? 0.01,
    },
    ...(s.promote_alias ? { promoteAlias: s.promote_alias } : {}),
  };
}

function applyWeights(traffic: DeploymentTraffic, actions: readonly CanaryAction[]): DeploymentTraffic {
  let out = traffic;
  for (const action of actions) {
    if (!('setWeights' in action)) continue;
    out = { ...out, versions: out.versions.map((v) => ({ ...v, weight: action.setWeights[v.version] ?? v.weight })) };
  }
  return out;
}

/**
 * The candidate alone. When the stable version came from an alias the canary moves on promotion,
 * the candidate takes over that URI, so the deployment keeps following the alias; otherwise it
 * keeps its own URI (following an alias that still names the old version would undo the promotion).
 */
function promoted(traffic: DeploymentTraffic, version: string, stable: string, movedAlias: string | undefined): DeploymentTraffic {
  const stableUri = traffic.versions.find((v) => v.version === stable)?.uri;
  const parsed = stableUri ? parseModelUri(stableUri) : undefined;
  const inherit = parsed?.kind === 'alias' && parsed.alias === movedAlias;
  const kept = traffic.versions.filter((v) => v.version === version).map((v) => ({ ...v, weight: 100, ...(inherit && stableUri ? { uri: stableUri } : {}) }));
  return kept.length ? { ...traffic, versions: kept } : traffic;
}

function onlyVersion(traffic: DeploymentTraffic, version: string): DeploymentTraffic {
  const kept = traffic.versions.filter((v) => v.version === version).map((v) => ({ ...v, weight: 100 }));
  return kept.length ? { ...traffic, versions: kept } : traffic;
}

