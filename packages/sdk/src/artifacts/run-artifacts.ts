import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FileInfo } from '@capstan/contracts';
import type { TrackingApi } from '../tracking-api.js';
import type { ArtifactStore } from './artifact-store.js';
import { assertSafeArtifactPath, joinArtifactPath, proxyRootFromArtifactUri } from './artifact-uri.js';
import { listLocalFiles } from './local-files.js';
import { forEachLimited } from './pool.js';

/** Files moved at once; enough to hide per-request latency without flooding the server. */
const TRANSFER_CONCURRENCY = 4;

/** Uploads one file as `<artifactPath>/<file name>` under `root` (a proxy path). */
export async function uploadFile(store: ArtifactStore, root: string, localFile: string, artifactPath?: string): Promise<void> {
  const name = resolve(localFile).split(/[\\/]/).pop() ?? '';
  await store.upload(localFile, joinArtifactPath(root, artifactPath, name));
}

/** Uploads every file under `localDir`, keeping the folder structure below `artifactPath`. */
export async function uploadDirectory(store: ArtifactStore, root: string, localDir: string, artifactPath?: string): Promise<void> {
  const files = await listLocalFiles(localDir);
  await forEachLimited(files, TRANSFER_CONCURRENCY, (file) =>
    store.upload(join(localDir, file), joinArtifactPath(root, artifactPath, file)),
  );
}

/**
 * Downloads a run's artifact `path` (a file or a folder, recursively; the whole root when empty)
 * to `destDir/<path>` and returns that local path. Folder contents come from the tracking API's
 * `artifacts/list`, whose paths are relative to the run's root; bytes come through the proxy.
 */
export async function downloadRunArtifacts(
  api: TrackingApi,
  store: ArtifactStore,
  runId: string,
  path: string,
  destDir: string,
): Promise<string> {
  const cleanPath = joinArtifactPath(path);
  assertSafeArtifactPath(cleanPath);
  const { run } = await api.getRun({ run_id: runId });
  const root = proxyRootFromArtifactUri(run.info.artifact_uri ?? '');
  const files: string[] = [];
  const visit = async (dir: string): Promise<boolean> => {
    const entries = await listAll(api, runId, dir);
    // MLflow lists a file path as empty; some servers list it as itself. Either way it is a file.
    if (entries.length === 0 || (entries.length === 1 && entries[0]?.path === dir && !entries[0].is_dir)) return false;
    for (const entry of entries) {
      if (entry.is_dir) await visit(entry.path);
      else files.push(entry.path);
    }
    return true;
  };
  const isDir = (await visit(cleanPath)) || cleanPath === '';
  if (!isDir) files.push(cleanPath);
  await forEachLimited(files, TRANSFER_CONCURRENCY, async (file) => {
    await store.download(joinArtifactPath(root, file), localTarget(destDir, file));
  });
  return join(destDir, cleanPath);
}

/**
 * Downloads every file under `proxyPath` (a folder on the artifact proxy, e.g. a registered model
 * version's `1/<run_id>/artifacts/model`) into `destDir`, keeping the folder structure below it, and
 * returns the relative paths written. Listings come from the proxy itself, so no run is needed.
 */
export async function downloadProxyFolder(store: ArtifactStore, proxyPath: string, destDir: string): Promise<string[]> {
  const root = joinArtifactPath(proxyPath);
  assertSafeArtifactPath(root);
  const files: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await store.list(joinArtifactPath(root, dir))) {
      // The proxy answers with bare names relative to the folder listed.
      const child = joinArtifactPath(dir, entry.path.split('/').pop());
      if (entry.is_dir) await visit(child);
      else files.push(child);
    }
  };
  await visit('');
  await forEachLimited(files, TRANSFER_CONCURRENCY, async (file) => {
    await store.download(joinArtifactPath(root, file), localTarget(destDir, file));
  });
  return files.sort();
}

async function listAll(api: TrackingApi, runId: string, path: string): Promise<FileInfo[]> {
  const entries: FileInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listArtifacts({ run_id: runId, ...(path ? { path } : {}), ...(pageToken ? { page_token: pageToken } : {}) });
    entries.push(...(page.files ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return entries;
}

/** The local file for an artifact path; refuses server-supplied paths that would land outside `destDir`. */
function localTarget(destDir: string, artifactPath: string): string {
  assertSafeArtifactPath(artifactPath);
  const target = resolve(destDir, artifactPath);
  const rel = relative(resolve(destDir), target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`Artifact path ${artifactPath} escapes ${destDir}`);
  return target;
}
