import type { Kysely } from 'kysely';
import type { PromotionEvidence, Run } from '@capstan/contracts';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import type { ModelRow, ModelStore } from '../model-store.js';
import type { RegistryTables } from '../tables.js';
import { parseStage, parseVersion, validateAlias } from '../validation.js';
import type { VersionStore } from '../version-store.js';
import { evaluateGates } from './gates.js';
import type { Policy, PolicyStore } from './policy-store.js';
import type { MoveTarget, RequestStore, StoredRequest } from './request-store.js';

export type RunLookup = (runIds: readonly string[]) => Promise<Run[]>;

export interface PromotionServiceDeps {
  db: Kysely<RegistryTables>;
  policies: PolicyStore;
  requests: RequestStore;
  models: ModelStore;
  versions: VersionStore;
  runs: RunLookup;
  now(): number;
}

/** What an applied move changed, for the audit note and the registry event. */
export interface AppliedMove {
  request: StoredRequest;
  /** The version the alias pointed at before, or the stage the version was in. */
  before: number | string | null;
  archived: number[];
}

/** Leave to move a target: the approved request it uses, if the target is protected, and how to mark it applied. */
export interface MovePermit {
  requestId?: string;
  applied(): Promise<void>;
}

export const describeTarget = (t: MoveTarget) => `${t.kind} '${t.value}'`;
export const conflict = (message: string) => new CapstanError('RESOURCE_CONFLICT', message);

/** Parses the alias or stage a request or move names: exactly one of the two. */
export function parseTarget(alias: string | undefined, stage: string | undefined): MoveTarget {
  if ((alias === undefined || alias === '') === (stage === undefined || stage === '')) throw invalidParameter("Name exactly one of 'alias' or 'stage' as the promotion target");
  return alias ? { kind: 'alias', value: validateAlias(alias) } : { kind: 'stage', value: parseStage(stage!) };
}

export function protects(policy: Policy | undefined, target: MoveTarget): boolean {
  if (!policy) return false;
  return target.kind === 'alias' ? policy.protectedAliases.includes(target.value) : policy.protectedStages.some((s) => s === target.value);
}

/** Promotion requests: gates with evidence, four-eyes decisions, and the move itself. */
export class PromotionService {
  constructor(private readonly deps: PromotionServiceDeps) {}

  /** The version currently holding a target: the alias's version, or the newest live version in the stage (as get-latest-versions answers). */
  async holder(modelId: number, target: MoveTarget): Promise<number | null> {
    const { db } = this.deps;
    if (target.kind === 'alias') {
      const row = await db.selectFrom('registered_model_aliases').select('version').where('model_id', '=', modelId).where('alias', '=', target.value).executeTakeFirst();
      return row ? Number(row.version) : null;
    }
    const row = await db
      .selectFrom('model_versions')
      .select((eb) => eb.fn.max('version').as('top'))
      .where('model_id', '=', modelId)
      .where('current_stage', '=', target.value)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return row?.top === null || row?.top === undefined ? null : Number(row.top);
  }

  async evaluate(model: ModelRow, version: number, target: MoveTarget, policy: Policy | undefined): Promise<PromotionEvidence> {
    const holderVersion = await this.holder(model.modelId, target);
    const runIds = await this.runIdsOf(model.modelId, [version, ...(holderVersion === null ? [] : [holderVersion])]);
    const wanted = [...new Set([...runIds.values()])];
    const runs = new Map((wanted.length ? await this.deps.runs(wanted) : []).map((r) => [r.info.run_id, r]));
    const runOf = (v: number) => {
      const id = runIds.get(v);
      return id === undefined ? undefined : runs.get(id);
    };
    const gates = evaluateGates(policy?.gates ?? {}, { candidate: runOf(version), holder: holderVersion === null ? undefined : runOf(holderVersion), holderVersion });
    return { gates, holder_version: holderVersion === null ? null : String(holderVersion), evaluated_at: this.deps.now() };
  }

  async create(input: { name: string | undefined; version: string | undefined; target: MoveTarget; justification: string; archiveExisting: boolean; requestedBy: string }): Promise<{ model: ModelRow; request: StoredRequest }> {
    const v = await this.deps.versions.require(input.name, input.version);
    if (input.archiveExisting && input.target.kind === 'alias') throw invalidParameter("'archive_existing_versions' applies to stage targets only");
    const policy = await this.deps.policies.get(v.modelId);
    if (!protects(policy, input.target)) {
      throw invalidParameter(`No promotion policy of registered model '${v.name}' protects ${describeTarget(input.target)}; move it directly`);
    }
    const evidence = await this.evaluate(v, v.version, input.target, policy);
    const request = await this.deps.requests.insert({
      modelId: v.modelId,
      version: v.version,
      target: input.target,
      justification: input.justification,
      archiveExisting: input.archiveExisting,
      status: evidence.gates.every((g) => g.passed) ? 'pending' : 'gates_failed',
      evidence,
      requestedBy: input.requestedBy,
      requestedAt: this.deps.now(),
    });
    return { model: v, request };
  }

  /**
   * Approves a pending request (the caller has checked who may) and moves the target. The gates run
   * again first: the holder may have changed since the request was made. If the move itself fails
   * the request stays `approved`, and the guard lets exactly that move through once.
   */
  async approve(request: StoredRequest, model: ModelRow, approver: string, comment: string | null): Promise<AppliedMove> {
    const stored = request.evidence.gates.find((g) => !g.passed);
    // A failed gate stays failed: new metrics mean a new request, with its own evidence.
    if (request.status === 'gates_failed' && stored) throw new CapstanError('PERMISSION_DENIED', `Promotion gate failed: ${stored.rule} (${stored.detail})`);
    if (request.status !== 'pending') throw conflict(`Promotion request ${request.requestId} is ${request.status}; only pending requests can be approved`);
    const evidence = await this.evaluate(model, request.version, request.target, await this.deps.policies.get(model.modelId));
    const failed = evidence.gates.find((g) => !g.passed);
    if (failed) {
      await this.deps.requests.transition(request.requestId, 'pending', 'gates_failed', { evidence: JSON.stringify(evidence) });
      throw new CapstanError('PERMISSION_DENIED', `Promotion gate failed: ${failed.rule} (${failed.detail})`);
    }
    const now = this.deps.now();
    const won = await this.deps.requests.transition(request.requestId, 'pending', 'approved', { decided_by: approver, decided_at: now, decision_comment: comment, evidence: JSON.stringify(evidence) });
    if (!won) throw conflict(`Promotion request ${request.requestId} was decided by someone else meanwhile`);
    const moved = await this.move(model, request);
    await this.deps.requests.transition(request.requestId, 'approved', 'applied', { applied_at: this.deps.now() });
    return { request: await this.deps.requests.require(request.requestId), ...moved };
  }

  async reject(request: StoredRequest, decider: string, comment: string | null): Promise<StoredRequest> {
    if (request.status !== 'pending' && request.status !== 'gates_failed') throw conflict(`Promotion request ${request.requestId} is ${request.status}; it can no longer be rejected`);
    const won = await this.deps.requests.transition(request.requestId, request.status, 'rejected', { decided_by: decider, decided_at: this.deps.now(), decision_comment: comment });
    if (!won) throw conflict(`Promotion request ${request.requestId} was decided by someone else meanwhile`);
    return this.deps.requests.require(request.requestId);
  }

  /**
   * For the MLflow alias and stage handlers: a move to a protected target needs an approved,
   * unapplied request for exactly this version and target. Returns what to call once the move
   * succeeded (marks that request applied). Nobody is exempt, administrators included.
   */
  async assertMoveAllowed(name: string | undefined, version: string | undefined, target: { alias?: string | undefined; stage?: string | undefined }): Promise<MovePermit> {
    const done: MovePermit = { applied: async () => undefined };
    const model = name ? await this.deps.models.find(name) : undefined;
    // Unknown model, missing or bad fields: the handler's own validation answers as MLflow would.
    if (!model || (!target.alias && !target.stage)) return done;
    const policy = await this.deps.policies.get(model.modelId);
    const move: MoveTarget = target.alias ? { kind: 'alias', value: target.alias } : { kind: 'stage', value: parseStage(target.stage!) };
    if (!protects(policy, move)) return done;
    const number = parseVersion(version);
    const approved = await this.deps.requests.findApproved(model.modelId, number, move);
    if (!approved) {
      throw new CapstanError(
        'PERMISSION_DENIED',
        `The promotion policy of registered model '${model.name}' protects ${describeTarget(move)}: moving it needs an approved promotion request for version ${number} (POST /api/capstan/v1/registry/promotion-requests)`,
      );
    }
    return {
      requestId: approved.requestId,
      applied: async () => {
        await this.deps.requests.transition(approved.requestId, 'approved', 'applied', { applied_at: this.deps.now() });
      },
    };
  }

  async assertAliasDeletable(name: string | undefined, alias: string | undefined): Promise<void> {
    const model = name ? await this.deps.models.find(name) : undefined;
    if (!model || !alias) return;
    if (protects(await this.deps.policies.get(model.modelId), { kind: 'alias', value: alias })) {
      throw new CapstanError(
        'PERMISSION_DENIED',
        `The promotion policy of registered model '${model.name}' protects alias '${alias}': it cannot be deleted while protected; a manager must change the policy first`,
      );
    }
  }

  private async move(model: ModelRow, request: StoredRequest): Promise<Omit<AppliedMove, 'request'>> {
    const version = String(request.version);
    if (request.target.kind === 'alias') {
      const { previous } = await this.deps.versions.setAlias(model.name, request.target.value, version);
      return { before: previous ?? null, archived: [] };
    }
    const result = await this.deps.versions.transition(model.name, version, request.target.value, request.archiveExisting);
    return { before: result.before, archived: result.archived };
  }

  private async runIdsOf(modelId: number, versions: number[]): Promise<Map<number, string>> {
    const rows = await this.deps.db.selectFrom('model_versions').select(['version', 'run_id']).where('model_id', '=', modelId).where('version', 'in', versions).execute();
    return new Map(rows.filter((r) => r.run_id !== null).map((r) => [Number(r.version), r.run_id!]));
  }
}
