/**
 * `runs:/<run_id>/<path>`: a file in a run's artifacts, as dataset-pair monitors name their files
 * and MLflow datasets name their sources. The path has no empty segment and no `..`.
 */
const RUN_FILE_URI = /^runs:\/([^/]+)\/((?:(?!\.\.(?:\/|$))[^/]+\/)*(?!\.\.$)[^/]+)$/;

export function isRunFileUri(uri: string): boolean {
  return RUN_FILE_URI.test(uri);
}

/** The run a `runs:/` file URI names, or undefined for anything else. */
export function runOfFileUri(uri: unknown): string | undefined {
  return typeof uri === 'string' ? RUN_FILE_URI.exec(uri)?.[1] : undefined;
}
