/**
 * Maps a run's `artifact_uri` onto the artifact proxy. With `--serve-artifacts`, MLflow records
 * `mlflow-artifacts:/<experiment_id>/<run_id>/artifacts` (optionally with an authority:
 * `mlflow-artifacts://host:port/...`), and the bytes live under
 * `/api/2.0/mlflow-artifacts/artifacts/<that path>`.
 */

const SCHEME = 'mlflow-artifacts:';
const HTTP_ANCHOR = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The proxy path of an artifact root, e.g. `1/abc123/artifacts`; throws for roots the proxy does
 * not serve. An `http(s)://.../api/2.0/mlflow-artifacts/artifacts/<path>` root (an experiment
 * created with an explicit proxy URL) names the same path; it is reached through this client's server.
 */
export function proxyRootFromArtifactUri(artifactUri: string): string {
  if (/^https?:\/\//i.test(artifactUri)) {
    const anchor = new URL(artifactUri).pathname.indexOf(HTTP_ANCHOR);
    if (anchor !== -1) return trimSlashes(decodeURIComponent(new URL(artifactUri).pathname.slice(anchor + HTTP_ANCHOR.length)));
  }
  if (!artifactUri.startsWith(SCHEME)) {
    throw new Error(
      `Artifact root ${artifactUri} is not served through the tracking server; ` +
        'the SDK only moves artifacts for runs whose artifact_uri starts with mlflow-artifacts:',
    );
  }
  let rest = artifactUri.slice(SCHEME.length);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  return trimSlashes(rest);
}

/** Joins artifact path pieces with `/`, ignoring empty pieces and stray slashes. */
export function joinArtifactPath(...parts: Array<string | undefined>): string {
  return parts
    .map((part) => (part === undefined ? '' : trimSlashes(part.replaceAll('\\', '/'))))
    .filter((part) => part !== '')
    .join('/');
}

/** Rejects `..` and `.` segments, which would escape the run's root on the server or on disk. */
export function assertSafeArtifactPath(path: string): void {
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new Error(`Artifact path ${path} must not contain '.' or '..' segments`);
  }
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}
