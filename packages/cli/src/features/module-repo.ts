import { pathToFileURL } from 'node:url';
import { featureRepo, isFeatureRepo, isRepoObject, toDefinition, type FeatureRepo } from '@capstan/sdk';
import type { RepoFile } from './repo-file.js';

/**
 * A repository file in TypeScript or JavaScript, run with tsx (no build step): its default export
 * when that is a `featureRepo(...)`, otherwise every entity, source, view and service it exports,
 * in the project of its `project` export (or of another file, or `--project`). The objects may
 * come from another copy of the SDK (the repository's own node_modules): they are recognized by a
 * registered symbol, not by class.
 */
export async function readModuleRepo(file: string): Promise<RepoFile> {
  // Loaded here, not at start-up: only commands that read TypeScript need esbuild.
  const { tsImport } = await import('tsx/esm/api');
  // tsImport loads each call in a namespace of its own, so a file read twice is run afresh.
  const module = (await tsImport(pathToFileURL(file).href, { parentURL: import.meta.url })) as Record<string, unknown>;
  const repo = defaultRepo(module);
  if (repo) return fromRepo(file, repo, repo.project);
  const objects = Object.values(module).filter(isRepoObject);
  if (objects.length === 0) throw new Error('exports no featureRepo() as default and no entity, source, view or service');
  const project = module.project;
  if (project !== undefined && (typeof project !== 'string' || project === '')) throw new Error('its `project` export must be a project name');
  // The project is settled after every file is read; the objects are checked meanwhile under a stand-in name.
  return fromRepo(file, featureRepo({ project: project ?? 'project', objects }), project);
}

/**
 * The module's default export when it is a repository. A file outside an ESM package is loaded as
 * CommonJS, whose namespace's `default` is the whole `module.exports`, holding the real default.
 */
function defaultRepo(module: Record<string, unknown>): FeatureRepo | undefined {
  const exported = module.default;
  if (isFeatureRepo(exported)) return exported;
  const inner = typeof exported === 'object' && exported !== null ? (exported as Record<string, unknown>).default : undefined;
  return isFeatureRepo(inner) ? inner : undefined;
}

function fromRepo(file: string, repo: FeatureRepo, project: string | undefined): RepoFile {
  const { project: _project, ...sections } = toDefinition(repo);
  return { file, ...(project !== undefined ? { project } : {}), sections };
}
