/** Promotion tables as Kysely sees them (created by 0008-promotion). Times are epoch milliseconds. */
export interface PromotionTables {
  registry_promotion_policies: PromotionPoliciesTable;
  registry_promotion_requests: PromotionRequestsTable;
}

export interface PromotionPoliciesTable {
  model_id: number;
  /** JSON string array. */
  protected_aliases: string;
  /** JSON array of canonical stage names. */
  protected_stages: string;
  /** JSON PromotionGates. */
  gates: string;
  updated_at: number;
  updated_by: string;
}

export interface PromotionRequestsTable {
  request_id: string;
  model_id: number;
  version: number;
  target_kind: 'alias' | 'stage';
  target: string;
  justification: string;
  archive_existing: number;
  status: string;
  /** JSON PromotionEvidence. */
  evidence: string;
  requested_by: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_comment: string | null;
  applied_at: number | null;
}
