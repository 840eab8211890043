import { Option, type Command } from 'commander';
import type { UpdateUserRequest } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { readNewPassword } from '../secrets.js';

interface Options {
  admin?: boolean;
  disable?: boolean;
  enable?: boolean;
  passwordStdin?: boolean;
  json?: boolean;
}

export function registerUsersUpdate(group: Command, ctx: CommandContext): void {
  group
    .command('update')
    .description("change a user's administrator flag, disable or enable them, or set a new password")
    .argument('<name>', 'username')
    .option('--admin', 'make the user an administrator')
    .option('--no-admin', 'remove administrator rights')
    .addOption(new Option('--disable', 'refuse their sign-ins and tokens').conflicts('enable'))
    .option('--enable', 'allow them to sign in again')
    .option('--password-stdin', 'set a new password: prompted for on a terminal, else the first line of stdin')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: Options) => {
      const update: UpdateUserRequest = {};
      if (opts.admin !== undefined) update.is_admin = opts.admin;
      if (opts.disable || opts.enable) update.disabled = opts.disable === true;
      if (opts.passwordStdin) update.password = await readNewPassword(ctx.io, true);
      if (Object.keys(update).length === 0) throw new UsageError('nothing to change: pass --admin, --no-admin, --disable, --enable or --password-stdin');
      const response = await ctx.client().security.updateUser({ username: name, ...update });
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`Updated user '${name}'\n`);
    });
}
