/**
 * Every refusal of the quality library (input it cannot read, options that make no sense) is a
 * QualityError, so callers can tell "your data cannot be checked" from a bug. A check that cannot
 * be computed on otherwise valid data is not an error: it becomes a result with status ERROR.
 */
export class QualityError extends Error {
  override readonly name = 'QualityError';
}
