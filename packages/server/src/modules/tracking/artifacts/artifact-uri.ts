import { normalizeBlobKey } from '../../../core/blob-key.js';

const PROXY_SCHEME = 'mlflow-artifacts';
/** Where MLflow's artifact proxy serves files; MLflow also accepts http(s) URLs to it as artifact roots. */
const HTTP_ANCHOR = '/api/2.0/mlflow-artifacts/artifacts';
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * The blob key an artifact URI names when this server's artifact proxy holds it, or undefined
 * when the bytes live somewhere the client writes directly (`s3://`, `file:`, ...).
 *
 * Proxied URIs, as MLflow's server resolves them (handlers._get_proxied_run_artifact_destination_path):
 * - `mlflow-artifacts:/1/abc/artifacts`, `mlflow-artifacts:///1/abc/artifacts` and
 *   `mlflow-artifacts://host:5000/1/abc/artifacts` all name `1/abc/artifacts` (the authority only
 *   tells clients which server to call);
 * - `http(s)://host[/prefix]/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts` names the part
 *   after the anchor.
 *
 * As in MLflow the path is taken as written, not percent-decoded. A path that would leave the
 * store (`..`, backslashes) throws INVALID_PARAMETER_VALUE.
 */
export function blobKeyForArtifactUri(uri: string): string | undefined {
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === PROXY_SCHEME) return normalizeBlobKey(uriPath(uri.slice(scheme.length + 1)).replace(/^\/+/, ''));
  if (scheme === 'http' || scheme === 'https') {
    const path = uriPath(uri.slice(scheme.length + 1));
    const at = path.indexOf(HTTP_ANCHOR);
    const rest = at === -1 ? undefined : path.slice(at + HTTP_ANCHOR.length);
    if (rest === undefined || (rest !== '' && !rest.startsWith('/'))) return undefined;
    return normalizeBlobKey(rest.replace(/^\/+/, ''));
  }
  return undefined;
}

/** The path part of what follows `scheme:`: the authority, query and fragment are dropped. */
function uriPath(afterScheme: string): string {
  let rest = afterScheme.replace(/[?#].*$/s, '');
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  return rest;
}
