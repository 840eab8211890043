import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { FeatureRepoDefinition } from '@capstan/contracts';
import { FeatureDefinitionError, mergeDefinitions } from '@capstan/sdk';
import { UsageError } from '../errors.js';
import { readModuleRepo } from './module-repo.js';
import type { RepoFile } from './repo-file.js';
import { readYamlRepo } from './yaml-repo.js';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);
/** Files beside the definitions that are not definitions: tests and type declarations. */
const NOT_DEFINITIONS = /\.(test|spec)\.[cm]?[jt]s$|\.d\.[cm]?ts$/;

/**
 * The definition a path holds: one .ts/.mts/.js/.mjs or .yaml/.yml file, or every such file
 * directly in a folder (in name order), merged into one project. The project is the one the
 * files declare, or `project` when none does; every problem is reported as a usage error.
 */
export async function loadRepoDefinition(path: string, options: { project?: string } = {}): Promise<FeatureRepoDefinition> {
  const info = await stat(path).catch((err: unknown) => {
    throw (err as { code?: unknown }).code === 'ENOENT' ? new UsageError(`${path}: no such file or folder`) : err;
  });
  const files = info.isDirectory() ? await definitionFiles(path) : [path];
  if (files.length === 0) throw new UsageError(`${path}: no .ts, .mts, .js, .mjs, .yaml or .yml file in the folder`);
  const read: RepoFile[] = [];
  for (const file of files) read.push(await readRepoFile(file));
  const project = projectOf(read, options.project);
  try {
    return mergeDefinitions(read.map((f) => ({ project, ...f.sections })));
  } catch (err) {
    throw err instanceof FeatureDefinitionError ? new UsageError(`${path}: ${err.message}`) : err;
  }
}

async function definitionFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isDefinitionFile(e.name))
    .map((e) => join(folder, e.name))
    .sort();
}

const isDefinitionFile = (name: string) => (MODULE_EXTENSIONS.has(extname(name)) || YAML_EXTENSIONS.has(extname(name))) && !NOT_DEFINITIONS.test(basename(name));

async function readRepoFile(file: string): Promise<RepoFile> {
  const extension = extname(file);
  if (YAML_EXTENSIONS.has(extension)) return readYamlRepo(await readFile(file, 'utf8'), file);
  if (!MODULE_EXTENSIONS.has(extension)) throw new UsageError(`${file}: expected a .ts, .mts, .js, .mjs, .yaml or .yml file`);
  try {
    return await readModuleRepo(file);
  } catch (err) {
    // The file's own errors (a syntax error, a bad duration, an import that fails) are the user's to fix.
    throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function projectOf(files: readonly RepoFile[], option: string | undefined): string {
  const declared = new Map<string, string>();
  for (const f of files) if (f.project !== undefined && !declared.has(f.project)) declared.set(f.project, f.file);
  if (option !== undefined) {
    const other = [...declared].find(([project]) => project !== option);
    if (other) throw new UsageError(`${other[1]} declares project '${other[0]}', not '${option}' as --project says`);
    return option;
  }
  if (declared.size === 1) return [...declared.keys()][0]!;
  if (declared.size === 0) throw new UsageError('no project: set `project:` in a YAML file, export `project` (or a featureRepo) from a module, or pass --project');
  throw new UsageError(`the files declare several projects (${[...declared].map(([p, f]) => `'${p}' in ${f}`).join(', ')}); one repository holds one project`);
}
