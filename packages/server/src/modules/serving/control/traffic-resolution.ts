import type { DeploymentSpec, DeploymentTraffic, TrafficVersion } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { parseModelUri, type ServableVersion, type ServingRegistry } from '../../registry/serving.api.js';

/**
 * The traffic a spec declares, its model URIs resolved to registry versions now. A single model
 * takes all traffic; several share it by weight. Versions of different registered models may
 * share a deployment (an A/B of two architectures) but not the same version twice.
 */
export async function resolveTraffic(spec: DeploymentSpec, registry: ServingRegistry): Promise<DeploymentTraffic> {
  const versions: TrafficVersion[] = [];
  for (const model of spec.models) {
    const resolved = await resolveServable(model.uri, registry);
    if (versions.some((v) => v.version === String(resolved.version) && v.model_name === resolved.modelName)) {
      throw invalidParameter(`spec.models names ${resolved.modelName} version ${resolved.version} twice (${model.uri})`);
    }
    versions.push({ version: String(resolved.version), model_name: resolved.modelName, weight: model.weight ?? (spec.models.length === 1 ? 100 : 0), uri: model.uri });
  }
  assertDistinctVersionNumbers(versions);
  const traffic: DeploymentTraffic = { versions };
  if (spec.shadow) {
    const shadow = await resolveServable(spec.shadow.uri, registry);
    traffic.shadow = { version: String(shadow.version), model_name: shadow.modelName, percent: spec.shadow.percent };
  }
  return traffic;
}

export async function resolveServable(uri: string, registry: ServingRegistry): Promise<ServableVersion> {
  const resolved = await registry.resolve(parseModelUri(uri));
  if (resolved.flavor !== null && resolved.flavor !== 'onnx') {
    throw invalidParameter(`${uri} is a ${resolved.flavor} model; Capstan serves ONNX models (the onnx flavor)`);
  }
  return resolved;
}

/**
 * The protocols name a deployment's versions by number alone (`/versions/{v}`), so two models in
 * one deployment must not share a version number.
 */
export function assertDistinctVersionNumbers(versions: readonly TrafficVersion[]): void {
  const seen = new Set<string>();
  for (const v of versions) {
    if (seen.has(v.version)) throw invalidParameter(`two models of the deployment have version ${v.version}; the protocols could not tell them apart`);
    seen.add(v.version);
  }
}

/** The version with the highest weight (ties: the lowest version): what metadata describes. */
export function stableVersion(traffic: DeploymentTraffic): TrafficVersion {
  let best = traffic.versions[0]!;
  for (const v of traffic.versions) if (v.weight > best.weight) best = v;
  return best;
}
