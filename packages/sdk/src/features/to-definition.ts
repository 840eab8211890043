import type { FeatureRepoDefinition } from '@capstan/contracts';
import { DefinitionBuilder } from './definition-builder.js';
import { FeatureDefinitionError } from './definition-error.js';
import { FEATURE_OBJECT } from './feature-object.js';
import { isRepoObject, type FeatureRepo, type RepoObject } from './feature-repo.js';
import { assertValidDefinition } from './validate-definition.js';

/**
 * The wire definition of a repository: its objects, and every object they use (a view's entities
 * and source, a push source's batch source, an on-demand view's sources, a service's views), each
 * once. Checked as the server would check it, so mistakes show before a request is sent.
 */
export function toDefinition(repo: FeatureRepo): FeatureRepoDefinition {
  const strangers = repo.objects.flatMap((object, i) => (isRepoObject(object) ? [] : [`objects[${i}]`]));
  if (strangers.length) {
    throw new FeatureDefinitionError([`project ${repo.project}: ${strangers.join(', ')} not made by entity(), a source helper, featureView(), onDemandFeatureView() or featureService()`]);
  }
  const builder = new DefinitionBuilder(repo.project);
  const seen = new Set<object>();
  const visit = (object: RepoObject): void => {
    if (seen.has(object)) return;
    seen.add(object);
    switch (object[FEATURE_OBJECT]) {
      case 'entity':
        return builder.add('entities', object.spec);
      case 'data_source':
        builder.add('data_sources', object.spec);
        if ('batchSource' in object) visit(object.batchSource);
        return;
      case 'feature_view':
        builder.add('feature_views', object.spec);
        object.entities.forEach(visit);
        return visit(object.source);
      case 'on_demand_feature_view':
        builder.add('on_demand_feature_views', object.spec);
        object.sources.forEach(visit);
        return;
      case 'feature_service':
        builder.add('feature_services', object.spec);
        // A selection's view is always a whole view or on-demand view object.
        object.features.forEach((selection) => visit(selection.view as RepoObject));
    }
  };
  repo.objects.forEach(visit);
  const definition = builder.build();
  assertValidDefinition(definition, builder.conflicts);
  return definition;
}
