/** A metric point as stored: NaN is kept as a flag because SQLite cannot hold NaN. */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * Whether `candidate` replaces `current` as the run's latest value of a metric: MLflow orders by
 * (step, timestamp, value). Comparisons involving NaN are false, as in Python, so a NaN only
 * wins on a later step or timestamp.
 */
export function isLater(candidate: MetricPoint, current: MetricPoint): boolean {
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return candidate.value > current.value;
}

/** Encodes a double for MLflow's JSON: proto-JSON spells non-finite values as strings. */
export function wireDouble(value: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** How a double is stored: SQLite reads NaN back as NULL, so NaN is a flag with value 0. */
export function toStorage(value: number): { value: number; is_nan: number } {
  return Number.isNaN(value) ? { value: 0, is_nan: 1 } : { value, is_nan: 0 };
}

export function fromStorage(value: number, isNan: number): number {
  return isNan ? Number.NaN : value;
}
