/**
 * CBPE over a report's groups: a labelled reference (another window of a deployment, or inline
 * rows) fits the calibration and the band of mean ± k·σ of its chunks' realized metrics; every
 * group's rows are then estimated from their scores alone and flagged when outside the band.
 */
import type { CbpeEstimateWire, CbpeMetricName, CbpeReportWire, CbpeSettings, PerformanceClass } from '@capstan/contracts';
import { CBPE_METRICS, estimateCbpeChunk, fitCbpe, PerformanceError, type CbpeMetric, type CbpeModel, type CbpeValues, type Label } from '../performance/index.js';
import { toClass, type TypedRow } from './typed-rows.js';
import { wireNumber, wireOrNull } from '../wire-number.js';

const WIRE_NAME: Record<CbpeMetric, CbpeMetricName> = { accuracy: 'accuracy', precision: 'precision', recall: 'recall', f1: 'f1', rocAuc: 'roc_auc' };

/** The labelled reference, as probabilities of the positive class, 0/1 labels and (optionally) 0/1 predictions. */
export interface CbpeReferenceData {
  readonly probabilities: number[];
  readonly labels: (0 | 1)[];
  readonly predictions?: (0 | 1)[];
}

export interface BinaryScoring {
  readonly positive: Label;
  /** Column of the positive class's probability among the score columns. */
  readonly column: number;
}

function probabilityOf(value: number, where: string): number {
  if (!(value >= 0 && value <= 1)) throw new PerformanceError(`${where} is ${value}: CBPE needs probabilities in [0, 1]`);
  return value;
}

/** A reference window's labelled rows in CBPE's terms. */
export function referenceFromRows(rows: readonly TypedRow<Label>[], scoring: BinaryScoring, classes: readonly Label[]): CbpeReferenceData {
  const labelled = rows.filter((r) => r.label !== undefined);
  const where = (r: TypedRow<Label>) => `reference: request '${r.requestId}' row ${r.row}`;
  return {
    probabilities: labelled.map((r) => probabilityOf(r.scores[scoring.column]!, `the score of ${where(r)}`)),
    labels: labelled.map((r) => {
      if (!classes.includes(r.label!)) {
        throw new PerformanceError(`${where(r)} is labelled ${JSON.stringify(r.label)}, which is not one of the binary classes ${JSON.stringify(classes)}`);
      }
      return r.label === scoring.positive ? 1 : 0;
    }),
    predictions: labelled.map((r) => (r.prediction === scoring.positive ? 1 : 0)),
  };
}

/** An inline reference in CBPE's terms; `kind` is the current predictions' class kind, if known. */
export function referenceFromInline(
  inline: { labels: (number | string | boolean)[]; scores: number[] | number[][]; predictions?: (number | string | boolean)[] | undefined },
  scoring: BinaryScoring,
  scoreColumns: number,
  classes: readonly Label[],
): CbpeReferenceData {
  const n = inline.labels.length;
  if (inline.scores.length !== n) throw new PerformanceError(`reference: labels and scores have different lengths (${n} and ${inline.scores.length})`);
  if (inline.predictions && inline.predictions.length !== n) {
    throw new PerformanceError(`reference: labels and predictions have different lengths (${n} and ${inline.predictions.length})`);
  }
  const binary = (values: (number | string | boolean)[], name: string): (0 | 1)[] =>
    values.map((v, i) => {
      const c = toClass(v)!;
      if (!classes.includes(c)) throw new PerformanceError(`reference: ${name}[${i}] is ${JSON.stringify(v)}, which is not one of the binary classes ${JSON.stringify(classes)}`);
      return c === scoring.positive ? 1 : 0;
    });
  const probabilities = inline.scores.map((s, i) => {
    if (typeof s === 'number') return probabilityOf(s, `reference: scores[${i}]`);
    if (s.length !== scoreColumns) throw new PerformanceError(`reference: scores[${i}] has ${s.length} values but ${scoreColumns} score columns were named`);
    return probabilityOf(s[scoring.column]!, `reference: scores[${i}][${scoring.column}]`);
  });
  return { probabilities, labels: binary(inline.labels, 'labels'), ...(inline.predictions ? { predictions: binary(inline.predictions, 'predictions') } : {}) };
}

export interface FittedCbpe {
  readonly model: CbpeModel;
  readonly report: Omit<CbpeReportWire, 'overall'>;
  estimate(rows: readonly TypedRow<Label>[]): CbpeEstimateWire | null;
}

/**
 * Fits CBPE on the reference. `meanGroupRows` (the mean size of the groups to judge) is the default
 * chunk size, so the band describes chunks as large as the windows it judges; without it a tenth of
 * the reference (NannyML's default of ten chunks).
 */
export function fitEstimation(reference: CbpeReferenceData, scoring: BinaryScoring, settings: CbpeSettings, meanGroupRows: number | undefined): FittedCbpe {
  const n = reference.labels.length;
  if (n === 0) throw new PerformanceError('reference: it holds no labelled row, and CBPE fits its calibration and band on labels');
  const chunkSize = settings.chunk_size ?? Math.max(1, meanGroupRows !== undefined ? Math.min(Math.round(meanGroupRows), Math.floor(n / 2)) : Math.floor(n / 10));
  const rowsMode = settings.rows ?? 'all';
  let model: CbpeModel;
  try {
    model = fitCbpe(reference, {
      chunkSize,
      calibrate: settings.calibrate ?? true,
      ...(settings.threshold !== undefined ? { threshold: settings.threshold } : {}),
      ...(settings.std_multiplier !== undefined ? { stdMultiplier: settings.std_multiplier } : {}),
    });
  } catch (err) {
    if (err instanceof PerformanceError) throw new PerformanceError(err.message.startsWith('reference') ? err.message : `reference: ${err.message}`);
    throw err;
  }
  const values = (v: CbpeValues) => Object.fromEntries(CBPE_METRICS.map((m) => [WIRE_NAME[m], wireOrNull(v[m])])) as Record<CbpeMetricName, ReturnType<typeof wireOrNull>>;
  const report: Omit<CbpeReportWire, 'overall'> = {
    method: 'cbpe',
    positive_label: scoring.positive as PerformanceClass,
    rows: rowsMode,
    reference: {
      rows: n,
      chunk_size: chunkSize,
      chunks: model.referenceChunks.length,
      calibrated: model.calibration !== null,
      bands: Object.fromEntries(
        CBPE_METRICS.map((m) => {
          const band = model.bands[m];
          return [WIRE_NAME[m], band ? { lower: wireNumber(band.lower), upper: wireNumber(band.upper) } : null];
        }),
      ) as CbpeReportWire['reference']['bands'],
      chunk_metrics: model.referenceChunks.map(values),
    },
  };
  return {
    model,
    report,
    estimate(rows) {
      const chosen = rowsMode === 'all' ? rows : rows.filter((r) => r.label === undefined);
      if (chosen.length === 0) return null;
      const probabilities = chosen.map((r) => probabilityOf(r.scores[scoring.column]!, `the score of request '${r.requestId}' row ${r.row}`));
      const result = estimateCbpeChunk(model, { probabilities, predictions: chosen.map((r) => (r.prediction === scoring.positive ? 1 : 0)) });
      return { rows: result.count, estimated: values(result.estimated), alerts: result.alerts.map((m) => WIRE_NAME[m]) };
    },
  };
}
