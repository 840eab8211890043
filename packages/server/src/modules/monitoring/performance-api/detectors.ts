/**
 * Page-Hinkley and ADWIN over the per-row error stream of the labelled rows in time order (request
 * log time, then row): 0/1 misclassification for a classifier, absolute error for a regressor.
 */
import type { AdwinSettings, DetectorsReport, DriftDetection, PageHinkleySettings } from '@capstan/contracts';
import { Adwin, PageHinkley, type Label } from '../performance/index.js';
import type { TypedRow } from './typed-rows.js';
import { wireNumber } from '../wire-number.js';

export interface DetectorSettings {
  page_hinkley?: PageHinkleySettings | undefined;
  adwin?: AdwinSettings | undefined;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function runDetectors(rows: readonly TypedRow<Label>[], task: 'classification' | 'regression', settings: DetectorSettings): DetectorsReport {
  const labelled = rows.filter((r) => r.label !== undefined);
  const error =
    task === 'classification'
      ? (r: TypedRow<Label>) => (r.prediction === r.label ? 0 : 1)
      : (r: TypedRow<Label>) => Math.abs((r.prediction as number) - (r.label as number));
  const ph = settings.page_hinkley;
  const pageHinkley = ph
    ? new PageHinkley(defined({ minInstances: ph.min_instances, delta: ph.delta, threshold: ph.threshold, alpha: ph.alpha, mode: ph.mode }))
    : undefined;
  const ad = settings.adwin;
  const adwin = ad
    ? new Adwin(defined({ delta: ad.delta, clock: ad.clock, maxBuckets: ad.max_buckets, minWindowLength: ad.min_window_length, gracePeriod: ad.grace_period }))
    : undefined;
  const phDetections: DriftDetection[] = [];
  const adDetections: DriftDetection[] = [];
  labelled.forEach((r, index) => {
    const x = error(r);
    const detection = { index, at: r.at, request_id: r.requestId, row: r.row };
    if (pageHinkley?.update(x).driftDetected) phDetections.push(detection);
    if (adwin?.update(x).driftDetected) adDetections.push(detection);
  });
  return {
    stream: task === 'classification' ? 'misclassification' : 'absolute_error',
    length: labelled.length,
    ...(pageHinkley ? { page_hinkley: { detections: phDetections } } : {}),
    ...(adwin ? { adwin: { detections: adDetections, width: adwin.width, estimation: wireNumber(adwin.estimation) } } : {}),
  };
}
