/**
 * The feature store's online side: the latest feature values of each entity key, per feature view,
 * for millisecond reads at serving time. Implementations: adapters/online-store/sqlite (the
 * embedded default) and adapters/online-store/redis (shared by replicas); both pass one contract
 * suite (adapters/online-store/online-store.contract.ts).
 *
 * The store does not interpret values: the features module encodes a view's features as `payload`
 * and the entity key as a canonical string. What the store guarantees is ordering: a record never
 * replaces one with a newer (eventTime, createdTime).
 */
export interface OnlineRecord {
  /** Canonical encoding of the join key values (the features module's entity-key.ts). */
  entityKey: string;
  /** Epoch ms. */
  eventTime: number;
  /** Epoch ms; breaks ties of equal event times (the later write wins a full tie). */
  createdTime: number;
  payload: string;
}

export interface OnlineWriteResult {
  written: number;
  /** Records not written because the stored one, or another of the same call for the same key, is newer. */
  skipped: number;
}

export interface OnlineStore {
  write(project: string, view: string, records: readonly OnlineRecord[]): Promise<OnlineWriteResult>;
  /** `result[v][k]`: the record of `views[v]` for `entityKeys[k]`, undefined when absent. */
  read(project: string, views: readonly string[], entityKeys: readonly string[]): Promise<(OnlineRecord | undefined)[][]>;
  /** Drops every record of a view (the view was deleted or its keys changed). */
  deleteView(project: string, view: string): Promise<void>;
  close(): Promise<void>;
}
