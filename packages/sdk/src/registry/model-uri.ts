import type { ModelVersionStage } from '@capstan/contracts';

/**
 * The `models:/` and `runs:/` URIs MLflow's clients use: `models:/<name>/<version>`,
 * `models:/<name>/latest`, `models:/<name>/<stage>`, `models:/<name>@<alias>`, and
 * `runs:/<run_id>/<artifact path>`.
 */

/** What a `models:/` URI designates, before the registry is asked which version that is. */
export type ModelReference =
  | { name: string; kind: 'version'; version: string }
  | { name: string; kind: 'alias'; alias: string }
  | { name: string; kind: 'latest' }
  | { name: string; kind: 'stage'; stage: ModelVersionStage };

const STAGES: readonly ModelVersionStage[] = ['None', 'Staging', 'Production', 'Archived'];
const MODELS_SCHEME = 'models:/';
const RUNS_SCHEME = 'runs:/';
const EXPECTED_MODEL_URI = 'expected models:/<name>/<version>, models:/<name>/latest, models:/<name>/<stage> or models:/<name>@<alias>';

/** Parses a `models:/` URI; throws a descriptive error for anything else. */
export function parseModelUri(uri: string): ModelReference {
  if (!uri.startsWith(MODELS_SCHEME)) throw new Error(`Not a model URI: '${uri}'; ${EXPECTED_MODEL_URI}`);
  if (uri.startsWith('models://')) {
    throw new Error(`Model URI '${uri}' names a registry host (models://...), which this client does not support; ${EXPECTED_MODEL_URI}`);
  }
  const path = uri.slice(MODELS_SCHEME.length).replace(/\/+$/, '');
  const fail = (why: string): never => {
    throw new Error(`Malformed model URI '${uri}': ${why}; ${EXPECTED_MODEL_URI}`);
  };
  const parts = path.split('/');
  if (parts.length === 1) {
    const at = path.lastIndexOf('@');
    if (at === -1) return fail('no version, stage or alias');
    const name = path.slice(0, at);
    const alias = path.slice(at + 1);
    if (name === '') fail('the model name is empty');
    if (alias === '') fail('the alias is empty');
    return { name, kind: 'alias', alias };
  }
  if (parts.length !== 2) return fail('too many path segments');
  const [name = '', suffix = ''] = parts;
  if (name === '') fail('the model name is empty');
  if (suffix === '') fail('no version, stage or alias');
  if (name.includes('@')) fail('use either models:/<name>@<alias> or models:/<name>/<version>, not both');
  if (/^\d+$/.test(suffix)) {
    if (/^0+$/.test(suffix)) fail('versions start at 1');
    return { name, kind: 'version', version: suffix.replace(/^0+/, '') };
  }
  if (suffix.toLowerCase() === 'latest') return { name, kind: 'latest' };
  const stage = STAGES.find((s) => s.toLowerCase() === suffix.toLowerCase());
  if (stage) return { name, kind: 'stage', stage };
  return fail(`'${suffix}' is neither a version number, 'latest', nor a stage (${STAGES.join(', ')})`);
}

/** A `runs:/` URI's run ID and artifact path (`''` for the run's root). */
export function parseRunsUri(uri: string): { runId: string; artifactPath: string } {
  if (!uri.startsWith(RUNS_SCHEME) || uri.startsWith('runs://')) throw new Error(`Not a runs URI: '${uri}'; expected runs:/<run_id>/<artifact path>`);
  const path = uri.slice(RUNS_SCHEME.length);
  const slash = path.indexOf('/');
  const runId = slash === -1 ? path : path.slice(0, slash);
  if (runId === '') throw new Error(`Malformed runs URI '${uri}': the run ID is empty; expected runs:/<run_id>/<artifact path>`);
  return { runId, artifactPath: slash === -1 ? '' : path.slice(slash + 1).replace(/^\/+|\/+$/g, '') };
}

/** `runs:/<runId>/<artifactPath>`. */
export function formatRunsUri(runId: string, artifactPath: string): string {
  return `${RUNS_SCHEME}${runId}/${artifactPath}`;
}
