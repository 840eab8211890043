import { Option, type Command } from 'commander';
import type { ObjectPermission } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { addObjectOptions, addPrincipalOptions, describeObject, describePrincipal, objectOf, principalOf, type ObjectOptions, type PrincipalOptions } from './principal-options.js';

const PERMISSIONS: readonly ObjectPermission[] = ['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'];

export function registerGrantsSet(group: Command, ctx: CommandContext): void {
  const command = group.command('set').description('grant a user or group a permission on one object, replacing any they had');
  addPrincipalOptions(addObjectOptions(command))
    .addOption(new Option('--permission <permission>', 'NO_PERMISSIONS denies what a workspace role would allow').choices(PERMISSIONS).makeOptionMandatory())
    .option('--json', "print the object's grants as JSON")
    .action(async (opts: ObjectOptions & PrincipalOptions & { permission: ObjectPermission; json?: boolean }) => {
      const object = objectOf(opts);
      const principal = principalOf(opts);
      const { grants } = await ctx.client().security.setGrant({ ...object, ...principal, permission: opts.permission });
      if (opts.json) printJson(ctx.io, grants);
      else ctx.io.stdout(`Granted ${opts.permission} on ${describeObject(object)} to ${describePrincipal(principal)}\n`);
    });
}
