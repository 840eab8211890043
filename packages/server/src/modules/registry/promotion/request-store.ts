import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { PromotionEvidence, PromotionStatus } from '@capstan/contracts';
import { notFound } from '../../../core/errors.js';
import type { PromotionRequestsTable, PromotionTables } from './tables.js';

export interface MoveTarget {
  kind: 'alias' | 'stage';
  /** The alias, or the canonical stage name. */
  value: string;
}

export interface StoredRequest {
  requestId: string;
  modelId: number;
  version: number;
  target: MoveTarget;
  justification: string;
  archiveExisting: boolean;
  status: PromotionStatus;
  evidence: PromotionEvidence;
  requestedBy: string;
  requestedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionComment: string | null;
  appliedAt: number | null;
}

function fromRow(row: Selectable<PromotionRequestsTable>): StoredRequest {
  const optionalNumber = (v: number | null) => (v === null ? null : Number(v));
  return {
    requestId: row.request_id,
    modelId: Number(row.model_id),
    version: Number(row.version),
    target: { kind: row.target_kind, value: row.target },
    justification: row.justification,
    archiveExisting: Number(row.archive_existing) === 1,
    status: row.status as PromotionStatus,
    evidence: JSON.parse(row.evidence) as PromotionEvidence,
    requestedBy: row.requested_by,
    requestedAt: Number(row.requested_at),
    decidedBy: row.decided_by,
    decidedAt: optionalNumber(row.decided_at),
    decisionComment: row.decision_comment,
    appliedAt: optionalNumber(row.applied_at),
  };
}

/** Promotion requests. Status changes are compare-and-set on the old status, so two deciders cannot both win. */
export class RequestStore {
  constructor(private readonly db: Kysely<PromotionTables>) {}

  async insert(input: Omit<StoredRequest, 'requestId' | 'decidedBy' | 'decidedAt' | 'decisionComment' | 'appliedAt'>): Promise<StoredRequest> {
    const requestId = `pr_${randomBytes(12).toString('hex')}`;
    await this.db
      .insertInto('registry_promotion_requests')
      .values({
        request_id: requestId,
        model_id: input.modelId,
        version: input.version,
        target_kind: input.target.kind,
        target: input.target.value,
        justification: input.justification,
        archive_existing: input.archiveExisting ? 1 : 0,
        status: input.status,
        evidence: JSON.stringify(input.evidence),
        requested_by: input.requestedBy,
        requested_at: input.requestedAt,
      })
      .execute();
    return this.require(requestId);
  }

  async find(requestId: string): Promise<StoredRequest | undefined> {
    const row = await this.db.selectFrom('registry_promotion_requests').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return row && fromRow(row);
  }

  async require(requestId: string): Promise<StoredRequest> {
    const found = await this.find(requestId);
    if (!found) throw notFound(`Promotion request ${requestId} not found`);
    return found;
  }

  async list(modelId: number, status?: PromotionStatus): Promise<StoredRequest[]> {
    let query = this.db.selectFrom('registry_promotion_requests').selectAll().where('model_id', '=', modelId);
    if (status) query = query.where('status', '=', status);
    return (await query.orderBy('requested_at', 'desc').orderBy('request_id').limit(1000).execute()).map(fromRow);
  }

  /** An approved request not yet applied for exactly this version and target, if any. */
  async findApproved(modelId: number, version: number, target: MoveTarget): Promise<StoredRequest | undefined> {
    const row = await this.db
      .selectFrom('registry_promotion_requests')
      .selectAll()
      .where('model_id', '=', modelId)
      .where('version', '=', version)
      .where('target_kind', '=', target.kind)
      .where('target', '=', target.value)
      .where('status', '=', 'approved')
      .orderBy('decided_at')
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Moves a request from `from` to `to`; false when it was no longer in `from`. */
  async transition(
    requestId: string,
    from: PromotionStatus,
    to: PromotionStatus,
    changes: Partial<Pick<PromotionRequestsTable, 'decided_by' | 'decided_at' | 'decision_comment' | 'applied_at' | 'evidence'>> = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('registry_promotion_requests')
      .set({ status: to, ...changes })
      .where('request_id', '=', requestId)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
