import type { FeatureDtype, FeatureValue } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { OfflineField, OfflineResult, OfflineStore } from '../../../ports/offline-store.js';
import type { FeatureSelection } from '../definitions/feature-repo.js';
import type { LoadedProject } from '../registry/registry-cache.js';
import { cellFromJson, cellToJson, type Cell } from '../values/cells.js';
import { inferDtype } from './entity-table.js';

/** How a hidden input column of an on-demand view is named in the intermediate result. */
export const hiddenInput = (view: string, feature: string) => `__input__${view}__${feature}`;

/**
 * On-demand features of a training set, computed as serving computes them: the transformation runs
 * on each row's point-in-time feature values (fetched as hidden columns) and the entity table's
 * request-data columns. The final table, without the hidden columns, goes back to the offline store
 * (as an entity table joined with no views) so it can be returned or saved like any result.
 */
export async function withOnDemandFeatures(
  loaded: LoadedProject,
  joined: OfflineResult,
  selections: readonly FeatureSelection[],
  dtypes: Map<string, FeatureDtype>,
  timestampColumn: string,
  offline: OfflineStore,
): Promise<OfflineResult> {
  const columns = await joined.toColumns();
  const rows = joined.rowCount;
  const hidden = new Set(joined.columnNames.filter((n) => n.startsWith('__input__')));
  const entityColumns = joined.columnNames.filter((n) => !hidden.has(n) && !selections.some((s) => s.outputName === n));
  await joined.release();

  const computed = new Map<string, Cell[]>();
  for (const name of new Set(selections.filter((s) => s.viewKind === 'on_demand_feature_view').map((s) => s.view))) {
    const view = loaded.repo.onDemandViews.get(name)!;
    const inputs = loaded.repo.onDemandInputs(view).map((input) => {
      const column = 'view' in input.from ? hiddenInput(input.from.view, input.name) : input.name;
      const cells = columns[column];
      if (!cells) throw invalidParameter(`the entity table lacks '${input.name}', request data of on-demand feature view '${name}'`);
      return { name: input.name, dtype: input.dtype, cells };
    });
    const inputRows = Array.from({ length: rows }, (_, r) => Object.fromEntries(inputs.map((i) => [i.name, cellToJson(i.cells[r] ?? null, i.dtype)])));
    const outputs = loaded.transformations.get(name)!.apply(inputRows);
    for (const field of view.schema) {
      computed.set(`${name}\u0000${field.name}`, outputs.map((o, r) => cellFromJson(o[field.name], field.dtype, () => `On-demand feature view '${name}' output '${field.name}' of row ${r}`)));
    }
  }

  const final: Record<string, Cell[]> = {};
  const fields: OfflineField[] = [];
  const add = (name: string, cells: Cell[], dtype: FeatureDtype) => {
    final[name] = cells;
    fields.push({ name, dtype });
    dtypes.set(name, dtype);
  };
  for (const name of entityColumns) add(name, columns[name]!, dtypes.get(name) ?? inferDtype(columns[name]!.map((c) => (c instanceof Uint8Array ? null : (c as FeatureValue)))));
  for (const s of selections) add(s.outputName, s.viewKind === 'feature_view' ? columns[s.outputName]! : computed.get(`${s.view}\u0000${s.feature}`)!, s.dtype);
  return offline.historical({ kind: 'columns', columns: final, timestampColumn, fields }, []);
}
