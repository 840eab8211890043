import type { Experiment, Run } from '@capstan/contracts';
import { formatTable } from './table.js';
import { formatDuration, formatTime } from './values.js';

export function renderExperiments(experiments: readonly Experiment[]): string {
  return formatTable(
    ['EXPERIMENT ID', 'NAME', 'STAGE', 'CREATED', 'ARTIFACT LOCATION'],
    experiments.map((e) => [e.experiment_id, e.name, e.lifecycle_stage, formatTime(e.creation_time), e.artifact_location]),
  );
}

export function renderRuns(runs: readonly Run[]): string {
  return formatTable(
    ['RUN ID', 'NAME', 'STATUS', 'STARTED', 'DURATION'],
    runs.map(({ info }) => [
      info.run_id,
      info.run_name ?? '',
      info.status,
      formatTime(info.start_time),
      formatDuration(info.start_time, info.end_time),
    ]),
  );
}

/** `runs describe`: the run's metadata, then a section per kind of data, each sorted by key. */
export function renderRunDetails(run: Run): string {
  const { info, data, inputs } = run;
  const sections: string[] = [
    formatTable(
      ['FIELD', 'VALUE'],
      [
        ['run_id', info.run_id],
        ['run_name', info.run_name ?? ''],
        ['experiment_id', info.experiment_id],
        ['status', info.status],
        ['lifecycle_stage', info.lifecycle_stage],
        ['start_time', formatTime(info.start_time)],
        ['end_time', formatTime(info.end_time)],
        ['duration', formatDuration(info.start_time, info.end_time)],
        ['artifact_uri', info.artifact_uri ?? ''],
      ],
    ),
  ];
  const byKey = <T extends { key: string }>(items: readonly T[] | undefined) =>
    [...(items ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const section = (title: string, headers: string[], rows: string[][]) => {
    if (rows.length > 0) sections.push(`${title}\n${formatTable(headers, rows)}`);
  };
  section('Params', ['KEY', 'VALUE'], byKey(data.params).map((p) => [p.key, p.value]));
  section(
    'Metrics (latest)',
    ['KEY', 'VALUE', 'STEP', 'TIMESTAMP'],
    byKey(data.metrics).map((m) => [m.key, String(m.value), String(m.step ?? 0), formatTime(m.timestamp)]),
  );
  section('Tags', ['KEY', 'VALUE'], byKey(data.tags).map((t) => [t.key, t.value]));
  section(
    'Dataset inputs',
    ['NAME', 'DIGEST', 'SOURCE TYPE', 'CONTEXT'],
    (inputs?.dataset_inputs ?? []).map(({ dataset, tags }) => [
      dataset.name,
      dataset.digest,
      dataset.source_type,
      tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? '',
    ]),
  );
  return sections.join('\n');
}
