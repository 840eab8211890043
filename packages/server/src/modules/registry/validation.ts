import type { ModelVersionStage } from '@capstan/contracts';
import { invalidParameter } from '../../core/errors.js';

export const STAGES: readonly ModelVersionStage[] = ['None', 'Staging', 'Production', 'Archived'];
/** Stages that archive_existing_versions may clear (MLflow's "active" stages). */
export const ACTIVE_STAGES: readonly ModelVersionStage[] = ['Staging', 'Production'];

const ALIAS = /^[\w-]*$/;
const MAX_ALIAS_LENGTH = 255;
const MAX_TAG_KEY = 250;
const MAX_TAG_VALUE = 5000;

export function validateModelName(name: string | undefined): string {
  if (name === undefined || name === '') throw invalidParameter('Registered model name cannot be empty.');
  return name;
}

/** Versions travel as decimal strings; MLflow refuses anything else with this message. */
export function parseVersion(value: string | undefined): number {
  if (value === undefined || value === '') throw invalidParameter("Missing value for required parameter 'version'.");
  if (!/^\d{1,9}$/.test(value.trim())) throw invalidParameter(`Model version must be an integer, got '${value}'`);
  return Number(value.trim());
}

/** MLflow accepts any capitalisation of a stage name and stores the canonical one. */
export function parseStage(value: string): ModelVersionStage {
  const found = STAGES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${value}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}

export function validateAlias(alias: string | undefined): string {
  if (alias === undefined || alias === '') throw invalidParameter("Missing value for required parameter 'alias'.");
  if (!ALIAS.test(alias) || alias.length > MAX_ALIAS_LENGTH) {
    throw invalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-), up to ${MAX_ALIAS_LENGTH} characters.`);
  }
  // `models:/name@latest` and `models:/name/3` already mean something, so aliases may not shadow them.
  if (alias.toLowerCase() === 'latest') throw invalidParameter(`Invalid alias name: '${alias}'. Alias name 'latest' is reserved.`);
  if (/^v\d+$/i.test(alias)) throw invalidParameter(`Invalid alias name: '${alias}'. Alias names cannot be version identifiers such as 'v1'.`);
  return alias;
}

export function validateTag(key: string | undefined, value: string | undefined): { key: string; value: string } {
  if (key === undefined || key === '') throw invalidParameter("Missing value for required parameter 'key'.");
  if (key.length > MAX_TAG_KEY) throw invalidParameter(`Tag key '${key.slice(0, 40)}...' exceeds the maximum length of ${MAX_TAG_KEY}`);
  const v = value ?? '';
  if (v.length > MAX_TAG_VALUE) throw invalidParameter(`Tag value for '${key}' exceeds the maximum length of ${MAX_TAG_VALUE}`);
  return { key, value: v };
}
