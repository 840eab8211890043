import type { DeploymentFeatures, FeatureValue, GetOnlineFeaturesRequest, GetOnlineFeaturesResponse, OnlineFeatureStatus } from '@capstan/contracts';
import { badRequest } from '../protocol/scoring/bad-request.js';
import type { ColumnsPayload } from '../protocol/scoring/scoring-payload.js';

/** The feature store's online read (the features module's `onlineFeatures`). */
export type OnlineFeaturesFn = (project: string, request: GetOnlineFeaturesRequest) => Promise<GetOnlineFeaturesResponse>;

/** A request's table once the feature store has answered: the caller's columns with the features merged in. */
export interface EnrichedTable {
  readonly table: ColumnsPayload;
  /**
   * Per column the store filled: each row's status where the cell came from the store, undefined
   * where the caller's own value stood.
   */
  readonly fetched: ReadonlyMap<string, readonly (OnlineFeatureStatus | undefined)[]>;
  /** A row's entity key values (`card_id=17`), for messages. */
  describeRow(row: number): string;
}

const quoteList = (names: Iterable<string>): string => [...names].map((n) => `'${n}'`).join(', ');

/**
 * Fetches the deployment's feature service for every row in one online read, sending the entity
 * key columns (every column by default) as Feast's `entities`. A feature joins the table as a
 * column; where the caller sent a value in a column of the same name, the caller's value wins (an
 * explicit override), and only the cells it left empty are filled from the store.
 */
export async function enrichTable(table: ColumnsPayload, spec: DeploymentFeatures, fetch: OnlineFeaturesFn): Promise<EnrichedTable> {
  const entities = entitiesOf(table, spec);
  const response = await fetch(spec.project, {
    entities,
    feature_service: spec.feature_service,
    ...(spec.full_feature_names === undefined ? {} : { full_feature_names: spec.full_feature_names }),
  });
  const names = response.metadata.feature_names;
  // A malformed answer is the feature store's fault, not the caller's: a plain Error (500).
  if (response.results.length !== names.length) throw new Error(`the feature store answered ${response.results.length} columns for ${names.length} names`);

  const columns = new Map(table.columns);
  const fetched = new Map<string, (OnlineFeatureStatus | undefined)[]>();
  const keys: string[] = [];
  names.forEach((name, i) => {
    const result = response.results[i]!;
    if (result.values.length !== table.rowCount || result.statuses.length !== table.rowCount) {
      throw new Error(`the feature store answered ${result.values.length} values for '${name}' where the request has ${table.rowCount} rows`);
    }
    const sent = entities[name];
    if (sent !== undefined && isEcho(sent, result)) {
      keys.push(name);
      return;
    }
    const own = table.columns.get(name);
    const cells = new Array<unknown>(table.rowCount);
    const statuses = new Array<OnlineFeatureStatus | undefined>(table.rowCount);
    for (let r = 0; r < table.rowCount; r++) {
      const mine = own?.[r];
      if (mine !== null && mine !== undefined) cells[r] = mine;
      else {
        cells[r] = result.values[r];
        statuses[r] = result.statuses[r];
      }
    }
    columns.set(name, cells);
    fetched.set(name, statuses);
  });
  return {
    table: { ...table, columns },
    fetched,
    describeRow: (row) => (keys.length === 0 ? `row ${row}` : keys.map((k) => `${k}=${String(entities[k]![row])}`).join(', ')),
  };
}

function entitiesOf(table: ColumnsPayload, spec: DeploymentFeatures): Record<string, FeatureValue[]> {
  const keys = spec.entity_keys ?? [...table.columns.keys()];
  if (keys.length === 0) badRequest(`the request has no columns to look up feature service '${spec.feature_service}' by; send its entity keys`);
  const entities: Record<string, FeatureValue[]> = {};
  for (const key of keys) {
    const column = table.columns.get(key);
    if (column === undefined) {
      badRequest(`the request has no column '${key}', an entity key this deployment looks up feature service '${spec.feature_service}' by (it sent ${quoteList(table.columns.keys()) || 'no columns'})`);
    }
    entities[key] = column.map(toFeatureValue);
  }
  return entities;
}

/** A request cell as the feature store's JSON takes it. */
function toFeatureValue(cell: unknown): FeatureValue {
  // OIP INT64 tensors hold bigints; the feature store takes int64 as a number or, beyond 2^53, decimal text.
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (Array.isArray(cell)) return cell.map(toFeatureValue);
  if (cell === undefined) return null;
  // Any other JSON value goes as sent: the feature store checks it against the key's dtype and names what it got.
  return cell as FeatureValue;
}

/**
 * Whether a response column is a join key the store echoed back (Feast lists the keys first). A
 * feature named like a request column is told apart by its values: an echo repeats every sent
 * value (as text, so CSV's "17" matches 17) with status PRESENT. A feature that happens to
 * equal what the caller sent in every row is read as an echo, which changes nothing: the caller's
 * values would have won anyway.
 */
function isEcho(sent: readonly FeatureValue[], result: GetOnlineFeaturesResponse['results'][number]): boolean {
  return sent.every((value, r) => value !== null && result.statuses[r] === 'PRESENT' && String(value) === String(result.values[r]));
}
