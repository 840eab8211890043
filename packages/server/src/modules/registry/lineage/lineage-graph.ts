import type { LineageEdge, LineageGraph, LineageNode, LineageNodeKind, LineageRelation } from '@capstan/contracts';

/** Nodes are listed by kind in this order (the model first, what it came from after), then by id. */
const KIND_ORDER: readonly LineageNodeKind[] = ['registered_model', 'model_version', 'run', 'experiment', 'dataset', 'code_version', 'deployment', 'pipeline_run'];

// Code-unit order rather than localeCompare: the same graph must serialise identically on every host.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Collects a lineage graph. Each node and each (from, relation, to) edge is kept once; the first
 * description of a node wins, and the builders add the nodes nearest the model version first.
 */
export class LineageGraphBuilder {
  private readonly nodes = new Map<string, LineageNode>();
  private readonly edges = new Map<string, LineageEdge>();

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  addNode(node: LineageNode): void {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
  }

  addEdge(from: string, relation: LineageRelation, to: string): void {
    this.edges.set(JSON.stringify([from, relation, to]), { from, to, relation });
  }

  /**
   * The graph in a stable order. An edge naming a node nobody described (a contributor's mistake)
   * is left out, so clients never have to render a dangling reference.
   */
  build(root: string): LineageGraph {
    const rank = (kind: LineageNodeKind) => KIND_ORDER.indexOf(kind);
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || compare(a.id, b.id));
    const edges = [...this.edges.values()]
      .filter((e) => this.nodes.has(e.from) && this.nodes.has(e.to))
      .sort((a, b) => compare(a.from, b.from) || compare(a.relation, b.relation) || compare(a.to, b.to));
    return { root, nodes, edges };
  }
}
