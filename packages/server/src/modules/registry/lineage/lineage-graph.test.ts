import { describe, expect, it } from 'vitest';
import { LineageGraphBuilder } from './lineage-graph.js';

describe('lineage graph builder', () => {
  it('keeps the first description of a node, each edge once, and sorts by kind then id', () => {
    const g = new LineageGraphBuilder();
    g.addNode({ id: 'run:b', kind: 'run', label: 'b', attributes: {} });
    g.addNode({ id: 'dataset:x@1', kind: 'dataset', label: 'x', attributes: {} });
    g.addNode({ id: 'run:a', kind: 'run', label: 'first', attributes: {} });
    g.addNode({ id: 'run:a', kind: 'run', label: 'second', attributes: {} });
    g.addNode({ id: 'model_version:m/1', kind: 'model_version', label: 'm v1', attributes: {} });
    g.addEdge('run:b', 'used_dataset', 'dataset:x@1');
    g.addEdge('run:a', 'used_dataset', 'dataset:x@1');
    g.addEdge('run:a', 'used_dataset', 'dataset:x@1');
    g.addEdge('run:a', 'child_of', 'run:b');
    const graph = g.build('model_version:m/1');
    expect(graph.nodes.map((n) => [n.id, n.label])).toEqual([
      ['model_version:m/1', 'm v1'],
      ['run:a', 'first'],
      ['run:b', 'b'],
      ['dataset:x@1', 'x'],
    ]);
    expect(graph.edges).toEqual([
      { from: 'run:a', to: 'run:b', relation: 'child_of' },
      { from: 'run:a', to: 'dataset:x@1', relation: 'used_dataset' },
      { from: 'run:b', to: 'dataset:x@1', relation: 'used_dataset' },
    ]);
  });
});
