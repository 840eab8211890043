import type { FeatureRepoDefinition } from '@capstan/contracts';

/** What one file of a repository defines; the project may come from another file or `--project`. */
export interface RepoFile {
  file: string;
  project?: string;
  sections: Omit<FeatureRepoDefinition, 'project'>;
}

export const emptySections = (): RepoFile['sections'] => ({
  entities: [],
  data_sources: [],
  feature_views: [],
  on_demand_feature_views: [],
  feature_services: [],
});
