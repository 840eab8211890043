import { scopeAllows } from '../permissions.js';
import type { Principal } from '../principal.js';

/**
 * Why a principal may not call a deployment's inference endpoints, or undefined when it may: an
 * API token with the infer scope, limited (when the token says so) to named deployments. One
 * decision for the HTTP access hooks and for gRPC, which has no HTTP hooks.
 */
export function inferenceRefusal(principal: Principal, deployment: string | undefined): string | undefined {
  if (!scopeAllows(principal.scopes, 'infer')) return "the credential lacks the 'infer' scope";
  if (principal.authMethod !== 'token') return 'inference endpoints accept only API tokens with the infer scope';
  if (principal.deployments && (deployment === undefined || !principal.deployments.includes(deployment))) {
    return `the token may not call deployment ${deployment ?? '(none)'}`;
  }
  return undefined;
}
