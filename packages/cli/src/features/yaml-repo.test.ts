import { mergeDefinitions, toDefinition } from '@capstan/sdk';
import { describe, expect, it } from 'vitest';
import { repo } from '../../../sdk/src/features/test-support/driver-repo.js';
import { readYamlRepo } from './yaml-repo.js';

/** The SDK's example repository, written as YAML definitions. */
const DEFINITIONS = `
project: driver_ranking
---
kind: Entity
name: driver
description: A driver of the fleet
joinKeys:
  driver_id: Int64
---
kind: FileSource
name: driver_stats
path: driver_stats.parquet
format: parquet
timestampField: event_timestamp
createdTimestampColumn: created
---
kind: FeatureView
name: driver_hourly_stats
entities: [driver]
source: driver_stats
schema:
  conv_rate: Float32
  acc_rate: float32
  avg_daily_trips: int64
ttl: 1d
online: true
owner: a@b.c
tags: { team: x }
freshnessSla: 2h
materializationInterval: 900
---
kind: RequestSource
name: vals_to_add
schema: { val_to_add: Int64 }
---
kind: OnDemandFeatureView
name: transformed_conv_rate
sources: [driver_hourly_stats, vals_to_add]
schema: { conv_rate_plus_val: Float64 }
transform: |
  (row) => ({ conv_rate_plus_val: row.conv_rate + row.val_to_add })
---
kind: FeatureService
name: driver_activity
features:
  - view: driver_hourly_stats
    features: [conv_rate, acc_rate]
  - transformed_conv_rate
`;

const definitionOf = (text: string) => {
  const { project, sections } = readYamlRepo(text, 'repo.yaml');
  return mergeDefinitions([{ project: project!, ...sections }]);
};

describe('readYamlRepo', () => {
  it('reads kind documents with the DSL\'s fields into the same definition as the DSL', () => {
    const fromYaml = definitionOf(DEFINITIONS);
    const fromDsl = toDefinition(repo);
    const transformation = '(row) => ({ conv_rate_plus_val: row.conv_rate + row.val_to_add })\n';
    const sameSources = (d: typeof fromDsl) => ({ ...d, data_sources: [...d.data_sources].sort((a, b) => a.name.localeCompare(b.name)) });
    expect(sameSources(fromYaml)).toEqual(
      sameSources({ ...fromDsl, on_demand_feature_views: [{ ...fromDsl.on_demand_feature_views[0]!, transformation }] }),
    );
  });

  it('reads a whole definition in wire form', () => {
    const { project, ...sections } = toDefinition(repo);
    expect(readYamlRepo(JSON.stringify({ project, ...sections }), 'repo.json')).toEqual({ file: 'repo.json', project, sections });
    expect(readYamlRepo('project: p\nentities: []\n', 'p.yaml')).toEqual({
      file: 'p.yaml',
      project: 'p',
      sections: { entities: [], data_sources: [], feature_views: [], on_demand_feature_views: [], feature_services: [] },
    });
  });

  it('reads described fields, list dtypes and aliased projections', () => {
    const { sections } = readYamlRepo(
      `kind: RequestSource
name: r
schema:
  embedding: List(Float32)
  tags: string[]
  seen: { dtype: UnixTimestamp, description: last visit, tags: { pii: "no" } }
---
kind: FeatureService
name: s
features: [{ view: v, alias: w }]
`,
      'r.yaml',
    );
    expect(sections.data_sources).toEqual([
      {
        name: 'r',
        kind: 'request',
        schema: [
          { name: 'embedding', dtype: 'float32[]' },
          { name: 'tags', dtype: 'string[]' },
          { name: 'seen', dtype: 'unix_timestamp', description: 'last visit', tags: { pii: 'no' } },
        ],
      },
    ]);
    expect(sections.feature_services).toEqual([{ name: 's', features: [{ view: 'v', alias: 'w' }] }]);
  });

  it.each([
    ['kind: Entity\nname: e\njoin_keys: { id: int64 }\n', "repo.yaml: document 1 (Entity 'e'): joinKeys must map field names to dtypes"],
    ['kind: Entity\nname: e\njoinKeys: { id: int64 }\nowner: me\ncolour: red\n', "repo.yaml: document 1 (Entity 'e'): unknown field colour"],
    ['kind: Entity\nname: e\njoinKeys: { id: int128 }\n', "repo.yaml: document 1 (Entity 'e'): joinKeys.id: unknown dtype \"int128\""],
    ['kind: Widget\nname: w\n', "repo.yaml: document 1 (Widget 'w'): unknown kind \"Widget\""],
    ['kind: FeatureView\nname: v\nentities: []\nsource: s\nschema: { x: int64 }\nttl: 1y\n', "repo.yaml: document 1 (FeatureView 'v'): ttl: expected seconds or a duration"],
    ['kind: FileSource\nname: f\npath: p\nformat: xlsx\ntimestampField: ts\n', "repo.yaml: document 1 (FileSource 'f'): format must be parquet or csv"],
    ['project: a\n---\nproject: b\n', "repo.yaml: document 2: project 'b', but an earlier document says 'a'"],
    ['name: e\n', 'repo.yaml: document 1: no kind'],
    ['- a\n', 'repo.yaml: document 1: expected a mapping, got a list'],
    ['project: p\nentities: []\n---\nkind: Entity\n', 'repo.yaml: document 1: a whole definition'],
    ['project: p\nentities: []\nviews: []\n', 'repo.yaml: document 1: unknown field views'],
    ['kind: Entity\nname: [e\n', 'repo.yaml: document 1: '],
  ])('refuses %j', (text, message) => {
    expect(() => readYamlRepo(text, 'repo.yaml')).toThrow(message);
  });
});
