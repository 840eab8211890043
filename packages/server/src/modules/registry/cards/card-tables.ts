/** The model card table as Kysely sees it; merged into RegistryTables by the module. */
export interface ModelCardTables {
  model_cards: ModelCardsTable;
}

/**
 * The hand-written parts of a version's model card; everything else on the card is generated from
 * the registry and tracking each time it is read. A null column means "not edited": the generated
 * value (if any) shows. `edited_at` is epoch milliseconds.
 */
export interface ModelCardsTable {
  model_id: number;
  version: number;
  summary: string | null;
  intended_use: string | null;
  out_of_scope_use: string | null;
  limitations: string | null;
  ethical_considerations: string | null;
  owner: string | null;
  edited_by: string;
  edited_at: number;
}
