import { Option, type Command } from 'commander';
import type { GrantableObjectType, PrincipalSelector } from '@capstan/contracts';
import { UsageError } from '../errors.js';

export interface PrincipalOptions {
  user?: string;
  group?: string;
}

/** `--user U | --group G`: whom a workspace role or a grant is for. */
export function addPrincipalOptions(command: Command): Command {
  return command.addOption(new Option('--user <name>', 'a user').conflicts('group')).addOption(new Option('--group <name>', 'a group'));
}

export function principalOf(opts: PrincipalOptions): PrincipalSelector {
  if (opts.user !== undefined) return { user: opts.user };
  if (opts.group !== undefined) return { group: opts.group };
  throw new UsageError('one of --user or --group is required');
}

export function describePrincipal(principal: PrincipalSelector): string {
  return principal.user !== undefined ? `user '${principal.user}'` : `group '${principal.group}'`;
}

export interface ObjectOptions {
  experiment?: string;
  registeredModel?: string;
  deployment?: string;
  featureProject?: string;
}

/** `--experiment ID | --registered-model NAME | --deployment NAME | --feature-project NAME`: the object a grant is on. */
export function addObjectOptions(command: Command): Command {
  return command
    .addOption(new Option('--experiment <id>', 'an experiment, by ID').conflicts(['registeredModel', 'deployment', 'featureProject']))
    .addOption(new Option('--registered-model <name>', 'a registered model, by name').conflicts(['deployment', 'featureProject']))
    .addOption(new Option('--deployment <name>', 'a deployment, by name').conflicts('featureProject'))
    .addOption(new Option('--feature-project <name>', 'a feature store project, by name'));
}

export function objectOf(opts: ObjectOptions): { object_type: GrantableObjectType; object_id: string } {
  if (opts.experiment !== undefined) return { object_type: 'experiment', object_id: opts.experiment };
  if (opts.registeredModel !== undefined) return { object_type: 'registered_model', object_id: opts.registeredModel };
  if (opts.deployment !== undefined) return { object_type: 'deployment', object_id: opts.deployment };
  if (opts.featureProject !== undefined) return { object_type: 'feature_project', object_id: opts.featureProject };
  throw new UsageError('one of --experiment, --registered-model, --deployment or --feature-project is required');
}

const OBJECT_WORDS: Record<GrantableObjectType, string> = {
  experiment: 'experiment',
  registered_model: 'registered model',
  deployment: 'deployment',
  feature_project: 'feature project',
};

export function describeObject(object: { object_type: GrantableObjectType; object_id: string }): string {
  return `${OBJECT_WORDS[object.object_type]} '${object.object_id}'`;
}
