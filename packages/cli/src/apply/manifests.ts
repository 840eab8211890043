import { parseAllDocuments } from 'yaml';
import type { DeploymentManifest, MonitorManifest } from '@capstan/sdk';
import { UsageError } from '../errors.js';

/** What one `capstan apply -f` file declares, each kind in file order. */
export interface ManifestSet {
  deployments: DeploymentManifest[];
  monitors: MonitorManifest[];
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Reads every document of a YAML (or JSON) manifest file and sorts it by `kind`: `Deployment` or
 * no kind is a deployment manifest (sent as written), `Monitor` a monitor manifest (sent without
 * its `kind`). Anything else, a document that is not a mapping, a missing name or a name declared
 * twice is refused here, naming the document (1-based, empty documents counted), so a bad file
 * applies nothing. In a monitor's alert channels, `${NAME}` in `url` and `secret` is replaced by
 * the environment variable NAME, which must be set and not empty; nothing else is substituted.
 */
export function readManifests(text: string, file: string, env: Readonly<Record<string, string | undefined>>): ManifestSet {
  const set: ManifestSet = { deployments: [], monitors: [] };
  const seen = new Map<string, number>();
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    const where = `${file}: document ${index + 1}`;
    if (doc.errors.length) throw new UsageError(`${where}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(`${where}: expected a manifest (a mapping with kind and name), got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
    }
    const manifest = value as Record<string, unknown>;
    const kind = manifest.kind ?? 'Deployment';
    if (kind !== 'Deployment' && kind !== 'Monitor') {
      throw new UsageError(`${where}: unknown kind ${JSON.stringify(kind)}; expected Deployment (the default when kind is left out) or Monitor`);
    }
    const { name } = manifest;
    if (typeof name !== 'string' || name === '') throw new UsageError(`${where}: the ${kind} has no name`);
    const key = `${kind}/${name}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new UsageError(`${where}: ${kind.toLowerCase()} '${name}' is also declared by document ${earlier}`);
    seen.set(key, index + 1);
    if (kind === 'Deployment') {
      set.deployments.push(manifest as unknown as DeploymentManifest);
    } else {
      const { kind: _kind, ...monitor } = manifest;
      set.monitors.push(withAlertVariables(monitor, env, `${where} (monitor '${name}')`) as unknown as MonitorManifest);
    }
  }
  return set;
}

/** The monitor with `${NAME}` in its alert channels' `url` and `secret` replaced from `env`. */
function withAlertVariables(monitor: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>, where: string): Record<string, unknown> {
  if (!Array.isArray(monitor.alerts)) return monitor;
  const alerts = monitor.alerts.map((channel: unknown, i) => {
    if (channel === null || typeof channel !== 'object' || Array.isArray(channel)) return channel;
    const out: Record<string, unknown> = { ...(channel as Record<string, unknown>) };
    for (const field of ['url', 'secret'] as const) {
      const text = out[field];
      if (typeof text !== 'string') continue;
      out[field] = text.replace(VARIABLE, (_match, variable: string) => {
        const replacement = env[variable];
        if (replacement === undefined || replacement === '') throw new UsageError(`${where}: alerts[${i}].${field} uses \${${variable}}, but the environment variable ${variable} is not set`);
        return replacement;
      });
    }
    return out;
  });
  return { ...monitor, alerts };
}
