import { FEATURE_OBJECT, isFeatureObject, type Branded } from './feature-object.js';
import type { Entity } from './entity.js';
import type { FeatureService } from './feature-service.js';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import type { DataSource } from './sources.js';

/** Anything a repository may list; sources need not be listed (the views that read them bring them). */
export type RepoObject = Entity | DataSource | FeatureView | OnDemandFeatureView | FeatureService;

/** Everything one project defines: `toDefinition` turns it into what `plan` and `apply` send. */
export interface FeatureRepo extends Branded<'feature_repo'> {
  readonly project: string;
  readonly objects: readonly RepoObject[];
}

/** The project of each service put in a repository, so a lookup by service needs no project argument. */
const projectsOfService = new WeakMap<FeatureService, Set<string>>();

export function featureRepo(options: { project: string; objects: readonly RepoObject[] }): FeatureRepo {
  for (const object of options.objects) {
    if (object[FEATURE_OBJECT] !== 'feature_service') continue;
    const projects = projectsOfService.get(object) ?? new Set<string>();
    projects.add(options.project);
    projectsOfService.set(object, projects);
  }
  return { [FEATURE_OBJECT]: 'feature_repo', project: options.project, objects: [...options.objects] };
}

/** The one project `service` was put in with `featureRepo`; an error if none or several. */
export function projectOfService(service: FeatureService): string {
  const projects = [...(projectsOfService.get(service) ?? [])];
  if (projects.length === 1) return projects[0]!;
  throw new TypeError(
    projects.length === 0
      ? `feature service ${service.name} is in no featureRepo(): pass the project explicitly`
      : `feature service ${service.name} is in several projects (${projects.join(', ')}): pass the project explicitly`,
  );
}

export const isFeatureRepo = (value: unknown): value is FeatureRepo => isFeatureObject(value, 'feature_repo');

const REPO_OBJECT_BRANDS = ['entity', 'data_source', 'feature_view', 'on_demand_feature_view', 'feature_service'] as const;

/** Whether `value` is an entity, source, view or service made by `entity()`, `fileSource()`... (of any copy of the SDK). */
export const isRepoObject = (value: unknown): value is RepoObject => REPO_OBJECT_BRANDS.some((brand) => isFeatureObject(value, brand));
