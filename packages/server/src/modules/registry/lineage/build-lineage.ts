import type { Kysely } from 'kysely';
import type { LineageGraph, Run } from '@capstan/contracts';
import type { RegistryTables } from '../tables.js';
import { LineageGraphBuilder } from './lineage-graph.js';
import { loadRunAncestry, PARENT_RUN_TAG, type RunLookup } from './run-ancestry.js';
import { addMissingRun, addRun, runNodeId, tagOf } from './run-lineage.js';
import { loadVersionFacts, type VersionFacts } from './version-facts.js';

/** What a contributor sees: the version and every run already in the graph (its own first). */
export interface LineageSubject {
  version: VersionFacts;
  /** The model version's node id, to hang new edges on (a deployment `serves` it). */
  rootId: string;
  runs: readonly Run[];
}

/**
 * Adds what another part of Capstan knows about a version. Deployments (`deployment` nodes,
 * `serves` edges) and pipeline runs (`pipeline_run` nodes) plug in here when they exist, without
 * this module learning about their tables.
 */
export type LineageContributor = (subject: LineageSubject, graph: LineageGraphBuilder) => Promise<void>;

export interface LineageDeps {
  db: Kysely<RegistryTables>;
  runs: RunLookup;
  contributors?: readonly LineageContributor[];
}

export interface TracedLineage {
  graph: LineageGraph;
  version: VersionFacts;
  /** The run that produced the version, when it has one and tracking still has it. */
  run: Run | undefined;
}

export const registeredModelNodeId = (name: string) => `registered_model:${name}`;
export const modelVersionNodeId = (name: string, version: number) => `model_version:${name}/${version}`;

/** The lineage graph of a model version: its model, producing run (and parents), experiments, datasets and code. */
export async function buildLineage(deps: LineageDeps, key: { modelId: number; version: number }): Promise<LineageGraph> {
  return (await traceLineage(deps, key)).graph;
}

/** buildLineage plus the facts it read, so a model card needs no second round of queries. */
export async function traceLineage(deps: LineageDeps, key: { modelId: number; version: number }): Promise<TracedLineage> {
  const version = await loadVersionFacts(deps.db, key);
  const graph = new LineageGraphBuilder();
  const rootId = modelVersionNodeId(version.name, version.version);
  addModelNodes(graph, version, rootId);
  const ancestry = version.runId ? await loadRunAncestry(deps.runs, [version.runId]) : { runs: [], missing: [] };
  for (const run of ancestry.runs) addRun(graph, run, tagOf(run, PARENT_RUN_TAG));
  for (const id of ancestry.missing) addMissingRun(graph, id);
  for (const run of ancestry.runs) {
    const parent = tagOf(run, PARENT_RUN_TAG);
    // A parent beyond the depth followed has no node; its id stays in the run's attributes.
    if (parent && graph.has(runNodeId(parent))) graph.addEdge(runNodeId(run.info.run_id), 'child_of', runNodeId(parent));
  }
  if (version.runId) graph.addEdge(rootId, 'produced_by', runNodeId(version.runId));
  for (const contribute of deps.contributors ?? []) await contribute({ version, rootId, runs: ancestry.runs }, graph);
  const run = ancestry.runs.find((r) => r.info.run_id === version.runId);
  return { graph: graph.build(rootId), version, run };
}

function addModelNodes(graph: LineageGraphBuilder, v: VersionFacts, rootId: string): void {
  const modelId = registeredModelNodeId(v.name);
  graph.addNode({
    id: modelId,
    kind: 'registered_model',
    label: v.name,
    attributes: { name: v.name, ...(v.modelDescription ? { description: v.modelDescription } : {}), tags: v.modelTags },
  });
  graph.addNode({
    id: rootId,
    kind: 'model_version',
    label: `${v.name} v${v.version}`,
    attributes: {
      name: v.name,
      version: String(v.version),
      stage: v.stage,
      status: v.status,
      source: v.source,
      created_at: v.createdAt,
      ...(v.runId ? { run_id: v.runId } : {}),
      ...(v.flavor ? { flavor: v.flavor } : {}),
      aliases: v.aliases,
    },
  });
  graph.addEdge(rootId, 'version_of', modelId);
}
