import type { Kysely, Selectable } from 'kysely';
import type { ModelCardEdits } from '@capstan/contracts';
import { CARD_TEXT_FIELDS, type CardChange } from './card-fields.js';
import type { ModelCardsTable, ModelCardTables } from './card-tables.js';

export interface StoredCard {
  edits: ModelCardEdits;
  editedBy: string;
  editedAt: number;
}

type Key = { modelId: number; version: number };

/** The hand-written text of model cards. */
export class ModelCardStore {
  constructor(private readonly db: Kysely<ModelCardTables>) {}

  async find(key: Key): Promise<StoredCard | undefined> {
    return toStored(await this.row(this.db, key));
  }

  /**
   * Applies a change and returns the edits before and after it (for the audit trail). Only the
   * columns named in the change are written, so two people editing different fields at once both
   * keep their edit.
   */
  async save(key: Key, change: CardChange, by: { editedBy: string; editedAt: number }): Promise<{ before: ModelCardEdits; after: ModelCardEdits }> {
    return this.db.transaction().execute(async (trx) => {
      const before = toStored(await this.row(trx, key))?.edits ?? {};
      const stamp = { edited_by: by.editedBy, edited_at: by.editedAt };
      const empty = Object.fromEntries(CARD_TEXT_FIELDS.map((f) => [f, null]));
      await trx
        .insertInto('model_cards')
        .values({ model_id: key.modelId, version: key.version, ...empty, ...change, ...stamp })
        .onConflict((oc) => oc.columns(['model_id', 'version']).doUpdateSet({ ...change, ...stamp }))
        .execute();
      const after = toStored(await this.row(trx, key))?.edits ?? {};
      return { before, after };
    });
  }

  private row(db: Kysely<ModelCardTables>, key: Key): Promise<Selectable<ModelCardsTable> | undefined> {
    return db.selectFrom('model_cards').selectAll().where('model_id', '=', key.modelId).where('version', '=', key.version).executeTakeFirst();
  }
}

function toStored(row: Selectable<ModelCardsTable> | undefined): StoredCard | undefined {
  if (!row) return undefined;
  const edits: ModelCardEdits = {};
  for (const field of CARD_TEXT_FIELDS) {
    const value = row[field];
    if (value !== null) edits[field] = value;
  }
  // PostgreSQL hands bigint columns back as strings.
  return { edits, editedBy: row.edited_by, editedAt: Number(row.edited_at) };
}
