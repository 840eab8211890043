import type { DatasetInput, LineageNode, LineageRelation, Run } from '@capstan/contracts';
import type { LineageGraphBuilder } from './lineage-graph.js';

/** MLflow's system tags that lineage reads. */
export const RUN_TAGS = {
  user: 'mlflow.user',
  gitCommit: 'mlflow.source.git.commit',
  gitRepo: 'mlflow.source.git.repoURL',
  sourceName: 'mlflow.source.name',
  datasetContext: 'mlflow.data.context',
} as const;

export const runNodeId = (runId: string) => `run:${runId}`;
export const experimentNodeId = (experimentId: string) => `experiment:${experimentId}`;
export const datasetNodeId = (name: string, digest: string) => `dataset:${name}@${digest}`;
export const codeVersionNodeId = (commit: string) => `code_version:${commit}`;

export function tagOf(run: Run, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

export function datasetContext(input: DatasetInput): string | undefined {
  return input.tags?.find((t) => t.key === RUN_TAGS.datasetContext)?.value;
}

/** How a run used a dataset, from the input's `mlflow.data.context` tag (what `mlflow.log_input(context=...)` writes). */
export function datasetRelation(context: string | undefined): LineageRelation {
  const value = context?.trim().toLowerCase();
  if (value === 'training' || value === 'train') return 'trained_on';
  if (value === 'evaluation' || value === 'eval' || value === 'test' || value === 'validation') return 'evaluated_on';
  return 'used_dataset';
}

export function paramsOf(run: Run): Record<string, string> {
  return Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
}

/** Latest metric values as MLflow sends them: non-finite ones stay the strings `NaN`/`Infinity`, which JSON can carry. */
export function metricsOf(run: Run): Record<string, number | string> {
  return Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
}

/** A run node, its experiment, datasets and code version, with the edges from the run to them. */
export function addRun(graph: LineageGraphBuilder, run: Run, parentRunId: string | undefined): void {
  const { info } = run;
  const id = runNodeId(info.run_id);
  const user = tagOf(run, RUN_TAGS.user);
  graph.addNode({
    id,
    kind: 'run',
    label: info.run_name || info.run_id,
    attributes: {
      run_id: info.run_id,
      ...(info.run_name ? { run_name: info.run_name } : {}),
      experiment_id: info.experiment_id,
      status: info.status,
      lifecycle_stage: info.lifecycle_stage,
      ...(info.start_time !== undefined ? { start_time: Number(info.start_time) } : {}),
      ...(info.end_time !== undefined ? { end_time: Number(info.end_time) } : {}),
      ...(user ? { user } : {}),
      // Kept even when the parent is beyond the depth followed, so a client can see the chain goes on.
      ...(parentRunId ? { parent_run_id: parentRunId } : {}),
      params: paramsOf(run),
      metrics: metricsOf(run),
    },
  });
  graph.addNode({ id: experimentNodeId(info.experiment_id), kind: 'experiment', label: `experiment ${info.experiment_id}`, attributes: { experiment_id: info.experiment_id } });
  graph.addEdge(id, 'in_experiment', experimentNodeId(info.experiment_id));
  for (const input of run.inputs?.dataset_inputs ?? []) {
    const node = datasetNode(input);
    graph.addNode(node);
    graph.addEdge(id, datasetRelation(datasetContext(input)), node.id);
  }
  const commit = tagOf(run, RUN_TAGS.gitCommit);
  if (commit) {
    const repo = tagOf(run, RUN_TAGS.gitRepo);
    const source = tagOf(run, RUN_TAGS.sourceName);
    graph.addNode({
      id: codeVersionNodeId(commit),
      kind: 'code_version',
      label: commit.slice(0, 12),
      attributes: { commit, ...(repo ? { repo_url: repo } : {}), ...(source ? { source_name: source } : {}) },
    });
    graph.addEdge(id, 'code_version', codeVersionNodeId(commit));
  }
}

/** A run the registry or a parent tag names but tracking no longer has: shown, marked missing, rather than silently dropped. */
export function addMissingRun(graph: LineageGraphBuilder, runId: string): void {
  graph.addNode({ id: runNodeId(runId), kind: 'run', label: runId, attributes: { run_id: runId, missing: true } });
}

function datasetNode(input: DatasetInput): LineageNode {
  const d = input.dataset;
  return {
    id: datasetNodeId(d.name, d.digest),
    kind: 'dataset',
    label: `${d.name} (${d.digest})`,
    attributes: {
      name: d.name,
      digest: d.digest,
      source_type: d.source_type,
      source: d.source,
      ...(d.schema !== undefined ? { schema: d.schema } : {}),
      ...(d.profile !== undefined ? { profile: d.profile } : {}),
    },
  };
}
