/**
 * What counts as a missing cell. Evidently's DatasetMissingValuesMetric counts pandas nulls (None,
 * NaN), the empty string and numpy's +-inf by default; JSON brings nulls where pandas has NaN, so
 * null joins the list. Extra markers ('N/A', -999, ...) are added to these, never replace them:
 * a monitoring job that forgets the defaults would silently stop counting nulls.
 */
import { QualityError } from './errors.js';
import type { QualityValue } from './types.js';

export type MissingTest = (value: QualityValue) => boolean;

function isDefaultMissing(value: QualityValue): boolean {
  return value === null || value === '' || (typeof value === 'number' && !Number.isFinite(value));
}

export function missingTest(extraMarkers: readonly (string | number)[] = []): MissingTest {
  for (const marker of extraMarkers as readonly unknown[]) {
    if (typeof marker !== 'string' && typeof marker !== 'number') {
      throw new QualityError(`A missing-value marker must be a string or a number, got ${String(marker)}.`);
    }
  }
  if (extraMarkers.length === 0) return isDefaultMissing;
  const extra = new Set<QualityValue>(extraMarkers);
  return (value) => isDefaultMissing(value) || extra.has(value);
}
