/**
 * Every refusal of the performance library (bad input, a metric that is undefined for the data) is a
 * PerformanceError, so callers can tell "your data cannot be scored" from a bug. Messages name the
 * argument and the problem, and follow scikit-learn's wording where it has one.
 */
export class PerformanceError extends Error {
  override readonly name = 'PerformanceError';
}
