/**
 * The performance report of a deployment's window: its labelled rows scored overall, per time
 * window and per segment; CBPE estimates against a labelled reference; drift detectors over the
 * error stream. Pure: the route reads the windows and hands them in. Refusals are
 * PerformanceErrors (the route answers 400 with their message).
 */
import type { PerformanceGroup, PerformanceReport } from '@capstan/contracts';
import { PerformanceError, type Label } from '../performance/index.js';
import { compareLabels, uniqueSorted } from '../performance/labels.js';
import type { InlineReferenceBody, PerformanceRequestBody } from '../http/performance-request.js';
import type { LabelledWindow } from '../sources/labelled-window.js';
import { runDetectors } from './detectors.js';
import { fitEstimation, referenceFromInline, referenceFromRows, type FittedCbpe } from './estimation.js';
import { classificationMetrics, regressionMetrics, type ClassSetup } from './metrics.js';
import { classificationRows, regressionRows, type TypedRow } from './typed-rows.js';
import { wireCell } from './wire.js';

/** Non-empty time windows one report may hold. */
export const MAX_WINDOWS = 10_000;
/** Distinct segment values one report may hold. */
export const MAX_SEGMENTS = 1_000;
/** Classes one report may hold (each group carries a classes × classes confusion matrix). */
export const MAX_CLASSES = 1_000;

export type ReferenceInput = { kind: 'window'; window: LabelledWindow } | { kind: 'inline'; data: InlineReferenceBody };

export function scoreColumnsOf(body: PerformanceRequestBody): string[] {
  return body.scores === undefined ? [] : typeof body.scores === 'string' ? [body.scores] : body.scores;
}

export function buildPerformanceReport(body: PerformanceRequestBody, current: LabelledWindow, reference?: ReferenceInput): PerformanceReport {
  const scoreColumns = scoreColumnsOf(body);
  if (body.task === 'regression') refuseClassificationOptions(body);
  if (body.cbpe && !body.reference) throw new PerformanceError('cbpe settings need a reference: CBPE fits its calibration and band on labelled reference rows');

  let rows: TypedRow<Label>[];
  let setup: ClassSetup | undefined;
  let estimation: FittedCbpe | undefined;
  if (body.task === 'classification') {
    const typed = classificationRows(current.rows, body.prediction, scoreColumns, 'current');
    rows = typed.rows;
    const referenceRows = reference?.kind === 'window' ? classificationRows(reference.window.rows, body.prediction, scoreColumns, 'reference').rows : undefined;
    setup = classSetup(body, rows, typed.kind, scoreColumns, reference, referenceRows);
    if (reference) estimation = estimationOf(body, setup, scoreColumns.length, reference, referenceRows, rows);
  } else {
    rows = regressionRows(current.rows, body.prediction, 'current');
  }

  const metricsOf = (group: readonly TypedRow<Label>[]) => {
    const labelled = group.filter((r) => r.label !== undefined);
    if (labelled.length === 0) return null;
    return setup ? classificationMetrics(labelled, setup) : regressionMetrics(labelled as TypedRow<number>[]);
  };
  const groupOf = (group: readonly TypedRow<Label>[], key: Pick<PerformanceGroup, 'window_start' | 'window_end' | 'segment'>): PerformanceGroup => {
    const labelled = group.filter((r) => r.label !== undefined).length;
    return {
      ...key,
      rows: group.length,
      labelled_rows: labelled,
      unlabelled_rows: group.length - labelled,
      label_coverage: labelled / group.length,
      metrics: metricsOf(group),
      ...(estimation ? { estimated: estimation.estimate(group) } : {}),
    };
  };

  const labelledRows = rows.filter((r) => r.label !== undefined).length;
  const report: PerformanceReport = {
    task: body.task,
    status: rows.length === 0 ? 'no_rows' : labelledRows === 0 ? 'no_labels' : 'ok',
    prediction: body.prediction,
    scores: scoreColumns,
    ...(setup ? { classes: [...setup.classes], average: setup.average, positive_label: setup.positive ?? null } : {}),
    requests: current.requests,
    labelled_requests: current.labelledRequests,
    rows: rows.length,
    labelled_rows: labelledRows,
    unlabelled_rows: rows.length - labelledRows,
    label_coverage: rows.length === 0 ? null : labelledRows / rows.length,
    metrics: metricsOf(rows),
  };
  const { deployment, from, to } = body.current;
  if (report.status === 'no_rows') {
    report.explanation = `deployment '${deployment}' logged no predictions in [${from}, ${to})`;
  } else if (report.status === 'no_labels') {
    report.explanation =
      `none of the ${current.requests} logged requests in [${from}, ${to}) has a label yet: post them with ` +
      `POST /api/capstan/v1/deployments/${deployment}/labels {"labels": [{"request_id", "label"}]}` +
      (estimation ? '; the CBPE estimate below needs none' : '');
  }
  if (body.window_ms !== undefined) {
    const w = body.window_ms;
    const windows = groupBy(rows, (r) => Math.floor(r.at / w) * w);
    if (windows.size > MAX_WINDOWS) throw new PerformanceError(`window_ms ${w} cuts the window into ${windows.size} windows; at most ${MAX_WINDOWS} are reported: widen window_ms`);
    report.window_ms = w;
    report.windows = [...windows.entries()].sort(([a], [b]) => a - b).map(([start, group]) => groupOf(group, { window_start: start, window_end: start + w }));
  }
  if (body.segment_by !== undefined) {
    const segments = groupBy(rows, (r) => JSON.stringify(r.segment ?? null));
    if (segments.size > MAX_SEGMENTS) {
      throw new PerformanceError(`segment_by '${body.segment_by}' has ${segments.size} distinct values; at most ${MAX_SEGMENTS} segments are reported: segment by a column with fewer values`);
    }
    report.segment_by = body.segment_by;
    report.segments = [...segments.values()]
      .map((group) => ({ value: group[0]!.segment ?? null, group }))
      .sort((a, b) => compareSegments(a.value, b.value))
      .map(({ value, group }) => groupOf(group, { segment: wireCell(value) }));
  }
  if (estimation) report.estimation = { ...estimation.report, overall: estimation.estimate(rows) };
  if (body.detectors) report.detectors = runDetectors(rows, body.task, body.detectors);
  return report;
}

function refuseClassificationOptions(body: PerformanceRequestBody): void {
  for (const key of ['scores', 'positive_label', 'classes', 'average'] as const) {
    if (body[key] !== undefined) throw new PerformanceError(`${key} applies to classification, and task is 'regression'`);
  }
  if (body.reference) throw new PerformanceError("reference is for CBPE, which estimates binary classifiers from their scores; task is 'regression'");
}

function groupBy<K>(rows: readonly TypedRow<Label>[], keyOf: (r: TypedRow<Label>) => K): Map<K, TypedRow<Label>[]> {
  const groups = new Map<K, TypedRow<Label>[]>();
  for (const r of rows) {
    const key = keyOf(r);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(r);
  }
  return groups;
}

/** null first, then booleans, numbers ascending, strings by code unit. */
function compareSegments(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null) return 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return compareLabels(a as Label, b as Label);
}

const describe = (classes: readonly Label[]) => JSON.stringify(classes);

/**
 * The classes, averaging, positive class and score layout, fixed once for every group. Classes are
 * `classes` when given; otherwise the sorted classes of the labelled rows' labels and predictions
 * (every prediction when nothing is labelled), the reference's, and `positive_label`. Numeric
 * classes within {0, 1} are read as a binary 0/1 target whose positive class is 1, as
 * scikit-learn's default pos_label.
 */
function classSetup(
  body: PerformanceRequestBody,
  rows: readonly TypedRow<Label>[],
  kind: 'number' | 'string' | undefined,
  scoreColumns: readonly string[],
  reference: ReferenceInput | undefined,
  referenceRows: readonly TypedRow<Label>[] | undefined,
): ClassSetup {
  const checkKind = (value: Label, what: string) => {
    if (kind !== undefined && typeof value !== kind) {
      throw new PerformanceError(`${what} is ${JSON.stringify(value)}, a ${typeof value}, but the predictions in '${body.prediction}' are ${kind}s`);
    }
  };
  if (body.positive_label !== undefined) checkKind(body.positive_label, 'positive_label');
  const explicit = body.classes !== undefined;
  let classes: Label[];
  if (body.classes) {
    body.classes.forEach((c, i) => checkKind(c, `classes[${i}]`));
    if (new Set(body.classes).size !== body.classes.length) throw new PerformanceError(`classes lists a class twice: ${describe(body.classes)}`);
    classes = [...body.classes];
    for (const r of rows) {
      if (r.label !== undefined && !classes.includes(r.label)) {
        throw new PerformanceError(`current: request '${r.requestId}' row ${r.row} is labelled ${JSON.stringify(r.label)}, which is not among classes ${describe(classes)}`);
      }
    }
    if (body.positive_label !== undefined && !classes.includes(body.positive_label)) {
      throw new PerformanceError(`positive_label ${JSON.stringify(body.positive_label)} is not among classes ${describe(classes)}`);
    }
  } else {
    const labelled = rows.filter((r) => r.label !== undefined);
    const seen: Label[] = labelled.length ? labelled.flatMap((r) => [r.label!, r.prediction]) : rows.map((r) => r.prediction);
    for (const r of referenceRows ?? []) if (r.label !== undefined) seen.push(r.label, r.prediction);
    if (reference?.kind === 'inline') {
      for (const v of [...reference.data.labels, ...(reference.data.predictions ?? [])]) {
        const c = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        checkKind(c, 'a reference label or prediction');
        seen.push(c);
      }
    }
    if (body.positive_label !== undefined) seen.push(body.positive_label);
    classes = uniqueSorted(seen);
    if (classes.every((c) => c === 0 || c === 1) && classes.length > 0) classes = [0, 1];
  }
  if (classes.length > MAX_CLASSES) {
    throw new PerformanceError(
      `the predictions in '${body.prediction}' and their labels hold ${classes.length} distinct classes; at most ${MAX_CLASSES} are scored (is it a numeric output? use task 'regression')`,
    );
  }
  const binary01 = classes.length === 2 && classes[0] === 0 && classes[1] === 1;
  const positive = body.positive_label ?? (binary01 ? 1 : undefined);
  const average = body.average ?? (positive !== undefined ? 'binary' : 'macro');
  if (average === 'binary' && positive === undefined) {
    throw new PerformanceError(`average 'binary' needs positive_label (the classes are ${describe(classes)})`);
  }
  if (average === 'binary' && classes.length > 2) {
    throw new PerformanceError(`average 'binary' needs at most two classes, and there are ${classes.length} (${describe(classes)}): choose 'macro', 'micro' or 'weighted'`);
  }

  const k = scoreColumns.length;
  const larger = (cs: readonly Label[]) => [...cs].sort(compareLabels)[cs.length - 1]!;
  let scores: ClassSetup['scores'];
  if (k === 0) {
    scores = { kind: 'none' };
  } else if (k === 1) {
    if (classes.length > 2) {
      throw new PerformanceError(`one score column ('${scoreColumns[0]}') describes a binary classifier, but there are ${classes.length} classes (${describe(classes)}): name one score column per class`);
    }
    const scorePositive = positive ?? (classes.length === 2 ? larger(classes) : undefined);
    if (scorePositive === undefined) {
      scores = { kind: 'unknown', reason: `the class whose probability '${scoreColumns[0]}' holds is unknown (the only class is ${describe(classes)}): give positive_label` };
    } else {
      const negative = classes.find((c) => c !== scorePositive);
      scores = { kind: 'binary', column: 0, positive: scorePositive, ...(negative !== undefined ? { negative } : {}) };
    }
  } else {
    if (classes.length !== k) {
      throw new PerformanceError(
        `scores names ${k} columns but there are ${classes.length} classes (${describe(classes)})${explicit ? '' : ' among the labels and predictions'}: give classes, one per score column in order`,
      );
    }
    if (k === 2) {
      const scorePositive = positive ?? larger(classes);
      const sortedClasses = [...classes].sort(compareLabels);
      scores = {
        kind: 'binary',
        column: classes.indexOf(scorePositive),
        positive: scorePositive,
        negative: classes.find((c) => c !== scorePositive)!,
        order: sortedClasses.map((c) => classes.indexOf(c)),
      };
    } else {
      const sortedClasses = [...classes].sort(compareLabels);
      scores = { kind: 'multiclass', sortedClasses, order: sortedClasses.map((c) => classes.indexOf(c)) };
    }
  }
  return { classes, explicit, average, ...(positive !== undefined ? { positive } : {}), scores };
}

function estimationOf(
  body: PerformanceRequestBody,
  setup: ClassSetup,
  scoreColumns: number,
  reference: ReferenceInput,
  referenceRows: readonly TypedRow<Label>[] | undefined,
  rows: readonly TypedRow<Label>[],
): FittedCbpe {
  const { scores } = setup;
  if (scores.kind === 'none') throw new PerformanceError('reference is for CBPE, which estimates from scores: name the positive-class probability in scores');
  if (scores.kind === 'unknown') throw new PerformanceError(`CBPE needs the positive class: ${scores.reason}`);
  if (scores.kind === 'multiclass') throw new PerformanceError(`CBPE estimates binary classifiers, and there are ${setup.classes.length} classes (${describe(setup.classes)})`);
  const scoring = { positive: scores.positive, column: scores.column };
  const binaryClasses = scores.negative === undefined ? [scores.positive] : [scores.negative, scores.positive];
  const data =
    reference.kind === 'window' ? referenceFromRows(referenceRows!, scoring, binaryClasses) : referenceFromInline(reference.data, scoring, scoreColumns, binaryClasses);
  let meanGroupRows: number | undefined;
  if (body.window_ms !== undefined) {
    const w = body.window_ms;
    const estimated = body.cbpe?.rows === 'unlabelled' ? rows.filter((r) => r.label === undefined) : rows;
    const windows = groupBy(estimated, (r) => Math.floor(r.at / w));
    if (windows.size > 0) meanGroupRows = estimated.length / windows.size;
  }
  return fitEstimation(data, scoring, body.cbpe ?? {}, meanGroupRows);
}
