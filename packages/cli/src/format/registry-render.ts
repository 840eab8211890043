import type { LineageEdge, LineageGraph, LineageNode, ModelVersion, RegisteredModel } from '@capstan/contracts';
import { formatTable } from './table.js';
import { formatTime } from './values.js';

const orDash = (value: string | undefined) => (value ? value : '-');

export function renderRegisteredModels(models: readonly RegisteredModel[]): string {
  return formatTable(
    ['NAME', 'LATEST VERSIONS', 'ALIASES', 'UPDATED', 'DESCRIPTION'],
    models.map((m) => [
      m.name,
      orDash((m.latest_versions ?? []).map((v) => `${v.version} (${v.current_stage})`).join(', ')),
      orDash((m.aliases ?? []).map((a) => `${a.alias}=${a.version}`).join(', ')),
      formatTime(m.last_updated_timestamp),
      m.description ?? '',
    ]),
  );
}

/**
 * Model versions, with each version's aliases taken from the registered model when given (the
 * server's version objects may leave them out).
 */
export function renderModelVersions(versions: readonly ModelVersion[], aliasesOf: (v: ModelVersion) => readonly string[] = (v) => v.aliases ?? []): string {
  return formatTable(
    ['VERSION', 'STAGE', 'STATUS', 'ALIASES', 'CREATED', 'RUN ID', 'SOURCE'],
    versions.map((v) => [v.version, v.current_stage, v.status, orDash(aliasesOf(v).join(',')), formatTime(v.creation_timestamp), v.run_id ?? '', v.source]),
  );
}

/** The attributes worth a glance in the tree, in this order; the rest are in `--json`. */
const KEY_ATTRIBUTES = ['stage', 'status', 'aliases', 'flavor', 'run_id', 'digest', 'source_type', 'commit', 'repo_url', 'missing'] as const;

function keyAttributes(node: LineageNode): string {
  const parts: string[] = [];
  for (const key of KEY_ATTRIBUTES) {
    const value = node.attributes[key];
    if (value === node.label) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (value !== '') parts.push(`${key}=${String(value)}`);
    } else if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
      parts.push(`${key}=${value.join(',')}`);
    }
  }
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

const describeNode = (node: LineageNode) => `${node.kind} ${node.label}${keyAttributes(node)}`;

/**
 * A lineage graph as an indented tree from its root: each line is `relation -> node` for an edge
 * leaving the node above it. Edges arriving at the root (a deployment serving the version) are
 * shown at the top level as `relation <- node`. Each edge is printed once; a node reached again is
 * not expanded again and is marked `(see above)`.
 */
export function renderLineageTree(graph: LineageGraph): string {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const root = nodes.get(graph.root);
  if (!root) return `${graph.root} (not among the graph's nodes)\n`;
  const lines = [describeNode(root)];
  const expanded = new Set<string>([root.id]);
  const printed = new Set<LineageEdge>();
  const visit = (id: string, depth: number) => {
    const links = [
      ...graph.edges.filter((e) => e.from === id).map((edge) => ({ edge, arrow: '->', other: edge.to })),
      ...(id === root.id ? graph.edges.filter((e) => e.to === id).map((edge) => ({ edge, arrow: '<-', other: edge.from })) : []),
    ];
    for (const { edge, arrow, other } of links) {
      if (printed.has(edge)) continue;
      printed.add(edge);
      const node = nodes.get(other);
      if (!node) continue;
      const seen = expanded.has(node.id);
      lines.push(`${'  '.repeat(depth)}${edge.relation} ${arrow} ${describeNode(node)}${seen ? ' (see above)' : ''}`);
      if (!seen) {
        expanded.add(node.id);
        visit(node.id, depth + 1);
      }
    }
  };
  visit(root.id, 1);
  return `${lines.join('\n')}\n`;
}
