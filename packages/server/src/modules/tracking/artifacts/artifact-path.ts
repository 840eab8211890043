import { joinBlobKey, normalizeBlobKey } from '../../../core/blob-key.js';
import { invalidParameter } from '../../../core/errors.js';

/** MLflow's validate_path_is_safe gives up after this many rounds; so do we. */
const MAX_DECODE_ROUNDS = 10;

/**
 * Checks an artifact path taken from a request (URL path, `path` query or body field) and turns
 * it into a blob key relative to the artifact store; `''` is the store root.
 *
 * The router has already percent-decoded the path once, and that once-decoded form is what gets
 * stored, so a file literally named `100%25.txt` keeps its name. Like MLflow's
 * validate_path_is_safe, though, every further decoding is checked as well: a client or proxy
 * that encodes twice (`%252e%252e`) must not smuggle a `..`, backslash or absolute path past the
 * check and into a store or a tool that decodes again.
 */
export function parseArtifactPath(path: string): string {
  let candidate = path;
  for (let round = 0; ; round++) {
    checkSafe(candidate);
    const decoded = percentDecode(candidate);
    if (decoded === candidate) break;
    if (round === MAX_DECODE_ROUNDS) throw invalidPath(path, 'is percent-encoded too many times');
    candidate = decoded;
  }
  return normalizeBlobKey(path);
}

/** Like parseArtifactPath, for paths that must name a file or folder rather than the store root. */
export function parseArtifactObjectPath(path: string): string {
  const key = parseArtifactPath(path);
  if (key === '') throw invalidParameter('A non-empty artifact path is required.');
  return key;
}

/**
 * The blob key a multipart upload writes: MLflow clients send the destination folder in the URL
 * and the uploading machine's local file path in the body, and MLflow stores the file under the
 * folder by its base name. The local path may come from Windows, so both separators count.
 */
export function multipartTargetKey(folderPath: string, localFilePath: string): string {
  // A trailing separator names a folder, not a file, so it leaves an empty (rejected) name.
  const fileName = localFilePath.split(/[\\/]/).pop() ?? '';
  if (fileName === '' || parseArtifactPath(fileName) !== fileName) {
    throw invalidPath(localFilePath, 'does not end in a usable file name');
  }
  return joinBlobKey(parseArtifactPath(folderPath), fileName);
}

function checkSafe(candidate: string): void {
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    // Control characters (NUL above all) truncate or corrupt paths in filesystems and logs.
    if (code < 0x20 || code === 0x7f) throw invalidPath(candidate, 'contains a control character');
  }
  // MLflow rejects '#': artifact URIs are URIs, and '#' would start a fragment in them.
  if (candidate.includes('#')) throw invalidPath(candidate, "contains '#'");
  // Rejects `..` segments, backslashes, absolute paths and drive letters.
  normalizeBlobKey(candidate);
}

/**
 * Python's urllib.parse.unquote: each run of `%XX` escapes is decoded as UTF-8, with invalid bytes
 * becoming U+FFFD rather than leaving the whole run encoded (which would hide a `%2f` inside it).
 */
function percentDecode(value: string): string {
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

function invalidPath(path: string, reason: string): Error {
  return invalidParameter(`Invalid path ${JSON.stringify(path)}: it ${reason}.`);
}
