import { CapstanError, notFound } from '../../../core/errors.js';
import type { TrackingContext } from '../tracking-context.js';
import { findModelRow } from './logged-model-store.js';
import {
  lastValuePerKey,
  pyRepr,
  requireUniqueKeys,
  validateModelParams,
  validateModelTags,
  type KeyValue,
} from './logged-model-validation.js';

/**
 * Tags (mutable) and params (immutable) of logged models. Like MLflow's SQL store, these writes
 * accept any stored model, soft-deleted ones included, and leave last_updated_timestamp_ms alone.
 */
export class LoggedModelMetadata {
  constructor(private readonly ctx: TrackingContext) {}

  async setTags(modelId: string, tags: readonly KeyValue[]): Promise<void> {
    validateModelTags(tags);
    const unique = lastValuePerKey(tags);
    await this.ctx.db.transaction().execute(async (trx) => {
      await findModelRow(trx, modelId, { allowDeleted: true });
      if (unique.length === 0) return;
      await trx
        .insertInto('logged_model_tags')
        .values(unique.map((t) => ({ model_id: modelId, key: t.key, value: t.value })))
        .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    });
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await findModelRow(trx, modelId, { allowDeleted: true });
      const result = await trx.deleteFrom('logged_model_tags').where('model_id', '=', modelId).where('key', '=', key).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw notFound(`No tag with key ${pyRepr(key)} found for model with ID ${pyRepr(modelId)}.`);
      }
    });
  }

  /**
   * Params never change once logged. MLflow rejects any re-logged key (a primary-key violation,
   * BAD_REQUEST); here re-sending the same value is a no-op so a retried request succeeds, and a
   * different value is refused with run params' wording. The check runs after the insert, inside
   * the transaction, so a concurrent writer of the same key is caught too.
   */
  async logParams(modelId: string, params: readonly KeyValue[]): Promise<void> {
    requireUniqueKeys('params', params);
    validateModelParams(params);
    await this.ctx.db.transaction().execute(async (trx) => {
      await findModelRow(trx, modelId, { allowDeleted: true });
      if (params.length === 0) return;
      await trx
        .insertInto('logged_model_params')
        .values(params.map((p) => ({ model_id: modelId, key: p.key, value: p.value })))
        .onConflict((oc) => oc.columns(['model_id', 'key']).doNothing())
        .execute();
      const stored = await trx
        .selectFrom('logged_model_params')
        .select(['key', 'value'])
        .where('model_id', '=', modelId)
        .where('key', 'in', params.map((p) => p.key))
        .execute();
      const values = new Map(stored.map((s) => [s.key, s.value]));
      const changed = params.find((p) => values.get(p.key) !== p.value);
      if (changed) {
        throw new CapstanError(
          'BAD_REQUEST',
          `Changing param values is not allowed. Param with key='${changed.key}' was already logged with value='${values.get(changed.key) ?? ''}' for logged model ID='${modelId}'. Attempted logging new value '${changed.value}'.`,
        );
      }
    });
  }
}
