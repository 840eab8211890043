/**
 * Performance over time and by segment: records are grouped into fixed windows aligned to the Unix
 * epoch (a window of size w starting at k·w, so every caller and every re-run cuts time the same
 * way) and/or by segment value, and each non-empty group is scored. Groups are returned in time
 * order, then segment order, with their sample counts so callers can judge how much to trust them.
 */
import { accuracy, f1, precision, recall } from './classification.js';
import { PerformanceError } from './errors.js';
import { compareLabels } from './labels.js';
import { meanAbsoluteError, meanAbsolutePercentageError, r2Score, rootMeanSquaredError } from './regression.js';
import type { Average, Label } from './types.js';
import { checkNonEmpty } from './validate.js';

export type SegmentValue = Label | null;

export interface PerformanceRecord<T extends Label> {
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
  readonly prediction: T;
  readonly label: T;
  readonly segment?: SegmentValue;
}

export interface GroupingOptions {
  /** Window size in ms; omitted: no time split. */
  readonly windowMs?: number;
  /** Split by `segment` (records without one form the null segment). Default false. */
  readonly bySegment?: boolean;
}

export interface ClassificationGroupingOptions extends GroupingOptions {
  /** Default 'binary' when positiveLabel is given, else 'macro'. */
  readonly average?: Average;
  readonly positiveLabel?: Label;
}

export interface GroupKey {
  /** Window [start, end) in ms; null when not split by time. */
  readonly windowStart: number | null;
  readonly windowEnd: number | null;
  /** Segment value; undefined when not split by segment. */
  readonly segment?: SegmentValue;
  readonly count: number;
}

export interface ClassificationGroup extends GroupKey {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface RegressionGroup extends GroupKey {
  readonly mae: number;
  readonly rmse: number;
  readonly mape: number;
  /** null for a group of one sample, where R² is undefined. */
  readonly r2: number | null;
}

interface Bucket<T extends Label> {
  readonly windowStart: number | null;
  readonly segment?: SegmentValue;
  readonly records: PerformanceRecord<T>[];
}

function group<T extends Label>(records: readonly PerformanceRecord<T>[], options: GroupingOptions): Bucket<T>[] {
  checkNonEmpty('records', records);
  const { windowMs, bySegment = false } = options;
  if (windowMs !== undefined && !(Number.isSafeInteger(windowMs) && windowMs > 0)) {
    throw new PerformanceError(`windowMs is ${windowMs}: it must be a positive integer number of milliseconds`);
  }
  const buckets = new Map<string, Bucket<T>>();
  records.forEach((record, i) => {
    if (!Number.isFinite(record.timestamp)) {
      throw new PerformanceError(`records[${i}].timestamp is ${record.timestamp}: it must be a finite number of ms`);
    }
    const windowStart = windowMs === undefined ? null : Math.floor(record.timestamp / windowMs) * windowMs;
    const segment = record.segment ?? null;
    // JSON keeps 1 and '1' apart, so the two segments never merge.
    const key = JSON.stringify([windowStart, bySegment ? segment : null]);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = bySegment ? { windowStart, segment, records: [] } : { windowStart, records: [] };
      buckets.set(key, bucket);
    }
    bucket.records.push(record);
  });
  return [...buckets.values()].sort((a, b) => {
    if (a.windowStart !== b.windowStart) return (a.windowStart ?? 0) - (b.windowStart ?? 0);
    if (a.segment === b.segment) return 0;
    if (a.segment === null || a.segment === undefined) return -1;
    if (b.segment === null || b.segment === undefined) return 1;
    if (typeof a.segment !== typeof b.segment) return typeof a.segment === 'number' ? -1 : 1;
    return compareLabels(a.segment, b.segment);
  });
}

function keyOf<T extends Label>(bucket: Bucket<T>, windowMs: number | undefined): GroupKey {
  return {
    windowStart: bucket.windowStart,
    windowEnd: bucket.windowStart === null || windowMs === undefined ? null : bucket.windowStart + windowMs,
    ...('segment' in bucket ? { segment: bucket.segment } : {}),
    count: bucket.records.length,
  };
}

export function classificationByGroup(
  records: readonly PerformanceRecord<Label>[],
  options: ClassificationGroupingOptions = {},
): ClassificationGroup[] {
  const average = options.average ?? (options.positiveLabel === undefined ? 'macro' : 'binary');
  const averaging = { average, ...(options.positiveLabel === undefined ? {} : { positiveLabel: options.positiveLabel }) };
  return group(records, options).map((bucket) => {
    const yTrue = bucket.records.map((r) => r.label);
    const yPred = bucket.records.map((r) => r.prediction);
    return {
      ...keyOf(bucket, options.windowMs),
      accuracy: accuracy(yTrue, yPred),
      precision: precision(yTrue, yPred, averaging),
      recall: recall(yTrue, yPred, averaging),
      f1: f1(yTrue, yPred, averaging),
    };
  });
}

export function regressionByGroup(
  records: readonly PerformanceRecord<number>[],
  options: GroupingOptions = {},
): RegressionGroup[] {
  return group(records, options).map((bucket) => {
    const yTrue = bucket.records.map((r) => r.label);
    const yPred = bucket.records.map((r) => r.prediction);
    return {
      ...keyOf(bucket, options.windowMs),
      mae: meanAbsoluteError(yTrue, yPred),
      rmse: rootMeanSquaredError(yTrue, yPred),
      mape: meanAbsolutePercentageError(yTrue, yPred),
      r2: yTrue.length < 2 ? null : r2Score(yTrue, yPred),
    };
  });
}
