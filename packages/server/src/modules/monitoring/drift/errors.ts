/**
 * Every refusal of the drift library (bad input, a test that cannot run on the data) is a
 * DriftError, so callers can tell "your data cannot be compared" from a bug. Messages follow
 * Evidently's and scipy's wording where they have one.
 */
export class DriftError extends Error {
  override readonly name = 'DriftError';
}
