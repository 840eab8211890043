import type { FeatureRepoDefinition } from '@capstan/contracts';
import { DefinitionBuilder, type DefinitionSection } from './definition-builder.js';
import { FeatureDefinitionError } from './definition-error.js';
import { assertValidDefinition } from './validate-definition.js';

const SECTIONS: readonly DefinitionSection[] = ['entities', 'data_sources', 'feature_views', 'on_demand_feature_views', 'feature_services'];

/**
 * One definition from several (the files of a folder): all of one project, an object defined in
 * more than one identically kept once, conflicting ones refused. The result is checked as a whole,
 * since a view in one file may use an entity of another.
 */
export function mergeDefinitions(definitions: readonly FeatureRepoDefinition[]): FeatureRepoDefinition {
  const projects = [...new Set(definitions.map((d) => d.project))];
  if (projects.length !== 1) {
    throw new FeatureDefinitionError([projects.length === 0 ? 'nothing to merge' : `the definitions are of several projects (${projects.join(', ')}); one repository holds one project`]);
  }
  const builder = new DefinitionBuilder(projects[0]!);
  for (const definition of definitions) {
    for (const section of SECTIONS) for (const spec of definition[section] ?? []) builder.add(section, spec);
  }
  const merged = builder.build();
  assertValidDefinition(merged, builder.conflicts);
  return merged;
}
