import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { addObjectOptions, addPrincipalOptions, describeObject, describePrincipal, objectOf, principalOf, type ObjectOptions, type PrincipalOptions } from './principal-options.js';

export function registerGrantsDelete(group: Command, ctx: CommandContext): void {
  const command = group.command('delete').description("remove a user's or group's grant on one object");
  addPrincipalOptions(addObjectOptions(command))
    .option('--json', "print the object's remaining grants as JSON")
    .action(async (opts: ObjectOptions & PrincipalOptions & { json?: boolean }) => {
      const object = objectOf(opts);
      const principal = principalOf(opts);
      const { grants } = await ctx.client().security.deleteGrant({ ...object, ...principal });
      if (opts.json) printJson(ctx.io, grants);
      else ctx.io.stdout(`Removed the grant on ${describeObject(object)} for ${describePrincipal(principal)}\n`);
    });
}
