import { invalidParameter } from '../../../core/errors.js';

/**
 * A registry model URI as MLflow writes them (mlflow/store/artifact/utils/models.py):
 * `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/<stage>` and
 * `models:/<name>/latest` (the highest version). The model name may itself contain `/`; the last
 * segment is the version or stage.
 */
export type ModelUri =
  | { readonly name: string; readonly kind: 'version'; readonly version: number }
  | { readonly name: string; readonly kind: 'alias'; readonly alias: string }
  | { readonly name: string; readonly kind: 'stage'; readonly stage: string }
  | { readonly name: string; readonly kind: 'latest' };

const PREFIX = 'models:/';
const STAGES = new Map(['none', 'staging', 'production', 'archived'].map((s) => [s, s === 'none' ? 'None' : s[0]!.toUpperCase() + s.slice(1)]));

export function parseModelUri(uri: string): ModelUri {
  if (!uri.startsWith(PREFIX)) throw invalidParameter(`'${uri}' is not a model URI: expected models:/<name>/<version> or models:/<name>@<alias>`);
  const rest = uri.slice(PREFIX.length).replace(/^\/+/, '');
  const at = rest.lastIndexOf('@');
  if (at > 0 && !rest.slice(at).includes('/')) {
    const alias = rest.slice(at + 1);
    if (!alias) throw invalidParameter(`'${uri}' names no alias after '@'`);
    return { name: rest.slice(0, at), kind: 'alias', alias };
  }
  const slash = rest.lastIndexOf('/');
  if (slash <= 0 || slash === rest.length - 1) throw invalidParameter(`'${uri}' must name a version, a stage or an alias: models:/<name>/<version> or models:/<name>@<alias>`);
  const name = rest.slice(0, slash);
  const last = rest.slice(slash + 1);
  if (/^\d+$/.test(last)) return { name, kind: 'version', version: Number(last) };
  if (last === 'latest') return { name, kind: 'latest' };
  const stage = STAGES.get(last.toLowerCase());
  if (stage) return { name, kind: 'stage', stage };
  throw invalidParameter(`'${uri}': '${last}' is neither a version number nor a stage (None, Staging, Production, Archived)`);
}

export function formatModelUri(uri: ModelUri): string {
  switch (uri.kind) {
    case 'version':
      return `${PREFIX}${uri.name}/${uri.version}`;
    case 'alias':
      return `${PREFIX}${uri.name}@${uri.alias}`;
    case 'stage':
      return `${PREFIX}${uri.name}/${uri.stage}`;
    case 'latest':
      return `${PREFIX}${uri.name}/latest`;
  }
}
