import type { Kysely } from 'kysely';
import type { ModelVersionStage, NonInferiorityGate, PromotionGates } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseStage, validateAlias } from '../validation.js';
import { parseThreshold } from './gates.js';
import type { PromotionTables } from './tables.js';

export interface Policy {
  modelId: number;
  protectedAliases: string[];
  protectedStages: ModelVersionStage[];
  gates: PromotionGates;
  updatedAt: number;
  updatedBy: string;
}

export type PolicyInput = Pick<Policy, 'protectedAliases' | 'protectedStages' | 'gates'>;

const MAX_RULES = 50;

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw invalidParameter(`'${field}' must be a list of non-empty strings`);
  if (value.length > MAX_RULES) throw invalidParameter(`'${field}' may hold at most ${MAX_RULES} entries`);
  return [...new Set(value as string[])];
}

function gateList(value: unknown): NonInferiorityGate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_RULES) throw invalidParameter(`'gates.non_inferiority' must be a list of at most ${MAX_RULES} {metric, margin, direction?}`);
  return value.map((g: unknown) => {
    const gate = (g ?? {}) as Record<string, unknown>;
    if (typeof gate.metric !== 'string' || gate.metric === '') throw invalidParameter("Each non-inferiority gate needs a 'metric'");
    if (typeof gate.margin !== 'number' || !Number.isFinite(gate.margin) || gate.margin < 0) throw invalidParameter(`The margin of the non-inferiority gate on ${gate.metric} must be a number >= 0`);
    if (gate.direction !== undefined && gate.direction !== 'higher' && gate.direction !== 'lower') throw invalidParameter("A non-inferiority gate's direction is 'higher' or 'lower'");
    return { metric: gate.metric, margin: gate.margin, ...(gate.direction ? { direction: gate.direction } : {}) };
  });
}

/** Checks a policy as sent; thresholds are parsed now so a bad rule is refused when saved, not when a promotion hits it. */
export function parsePolicyInput(fields: Record<string, unknown>): PolicyInput {
  const protectedAliases = stringList(fields.protected_aliases, 'protected_aliases').map((a) => validateAlias(a));
  const protectedStages = [...new Set(stringList(fields.protected_stages, 'protected_stages').map(parseStage))];
  const raw = fields.gates ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParameter("'gates' must be an object");
  const g = raw as Record<string, unknown>;
  const thresholds = stringList(g.thresholds, 'gates.thresholds').map((t) => parseThreshold(t).text);
  const gates: PromotionGates = { required_metrics: stringList(g.required_metrics, 'gates.required_metrics'), thresholds, non_inferiority: gateList(g.non_inferiority) };
  if (!protectedAliases.length && !protectedStages.length) throw invalidParameter('A promotion policy must protect at least one alias or stage');
  return { protectedAliases, protectedStages, gates };
}

/** One policy per registered model. */
export class PolicyStore {
  constructor(
    private readonly db: Kysely<PromotionTables>,
    private readonly now: () => number,
  ) {}

  async get(modelId: number): Promise<Policy | undefined> {
    const row = await this.db.selectFrom('registry_promotion_policies').selectAll().where('model_id', '=', modelId).executeTakeFirst();
    return (
      row && {
        modelId,
        protectedAliases: JSON.parse(row.protected_aliases) as string[],
        protectedStages: JSON.parse(row.protected_stages) as ModelVersionStage[],
        gates: JSON.parse(row.gates) as PromotionGates,
        updatedAt: Number(row.updated_at),
        updatedBy: row.updated_by,
      }
    );
  }

  async put(modelId: number, input: PolicyInput, by: string): Promise<Policy> {
    const values = {
      protected_aliases: JSON.stringify(input.protectedAliases),
      protected_stages: JSON.stringify(input.protectedStages),
      gates: JSON.stringify(input.gates),
      updated_at: this.now(),
      updated_by: by,
    };
    await this.db
      .insertInto('registry_promotion_policies')
      .values({ model_id: modelId, ...values })
      .onConflict((oc) => oc.column('model_id').doUpdateSet(values))
      .execute();
    return (await this.get(modelId))!;
  }

  async delete(modelId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('registry_promotion_policies').where('model_id', '=', modelId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
