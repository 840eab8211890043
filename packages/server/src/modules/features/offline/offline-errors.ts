import { invalidParameter } from '../../../core/errors.js';
import { OfflineStoreError } from '../../../ports/offline-store.js';

/**
 * Runs offline-store work, turning what the offline store refuses (a missing file, a column that
 * is not there or not castable, a path outside the root) into INVALID_PARAMETER_VALUE with its
 * message, which names the view, column or file: the caller's definition or data is at fault,
 * not the server.
 */
export async function offlineWork<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OfflineStoreError) throw invalidParameter(err.message);
    throw err;
  }
}
