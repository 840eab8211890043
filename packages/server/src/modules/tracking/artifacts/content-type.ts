/**
 * Download headers chosen the way MLflow's server chooses them (mlflow/utils/mime_type_utils.py):
 * files MLflow knows to be text are `text/plain` whatever their usual type, so the UI can show
 * them; otherwise the extension's standard type; otherwise `application/octet-stream`.
 */

/** MLflow's get_text_extensions(); `MLmodel` and `mlproject` are whole file names without an extension. */
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'err', 'cfg', 'conf', 'cnf', 'cf', 'ini', 'properties', 'prop', 'hocon', 'toml', 'yaml', 'yml',
  'xml', 'json', 'js', 'py', 'py3', 'csv', 'tsv', 'md', 'rst', 'mlmodel', 'mlproject',
]);

/** The entries of Python's mimetypes table that ML artifacts commonly hit. */
const STANDARD_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/vnd.microsoft.icon',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  pdf: 'application/pdf',
  zip: 'application/zip',
  tar: 'application/x-tar',
  wav: 'audio/x-wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  sh: 'application/x-sh',
};

const BINARY = 'application/octet-stream';

export function guessContentType(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  // Python's splitext: a leading dot (`.env`) starts a name, not an extension.
  const extension = (dot > 0 ? name.slice(dot + 1) : name).toLowerCase();
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  return (dot > 0 ? STANDARD_TYPES[extension] : undefined) ?? BINARY;
}

/**
 * `attachment` keeps browsers from rendering artifacts (HTML, SVG) on the server's origin, as in
 * MLflow. The plain `filename` must be ASCII for the header to be valid; `filename*` carries the
 * real name for clients that read RFC 6266.
 */
export function attachmentDisposition(path: string): string {
  const name = baseName(path);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
