import { Option, type Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { readNewPassword } from '../secrets.js';

interface Options {
  admin?: boolean;
  passwordStdin?: boolean;
  /** False with `--no-password`. */
  password: boolean;
  backendStoreUri?: string;
  json?: boolean;
}

export function registerUsersCreate(group: Command, ctx: CommandContext): void {
  group
    .command('create')
    .description('create a user; the password is prompted for, or read from stdin with --password-stdin')
    .argument('<name>', 'username')
    .option('--admin', 'make the user an instance administrator')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .addOption(new Option('--no-password', 'create a user who signs in only through the identity provider').conflicts(['passwordStdin', 'backendStoreUri']))
    .option(
      '--backend-store-uri <uri>',
      "write straight into this server's metadata store instead of calling the API (creates or updates the user; for the first administrator)",
    )
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: Options) => {
      const password = opts.password ? await readNewPassword(ctx.io, opts.passwordStdin ?? false) : undefined;
      if (opts.backendStoreUri !== undefined) {
        if (opts.json) throw new UsageError('--json does not apply with --backend-store-uri');
        const outcome = await ctx.createUserInStore(opts.backendStoreUri, { username: name, password: password!, isAdmin: opts.admin ?? false });
        ctx.io.stdout(`${outcome}\n`);
        return;
      }
      const response = await ctx.client().security.createUser({
        username: name,
        ...(password !== undefined ? { password } : {}),
        ...(opts.admin ? { is_admin: true } : {}),
      });
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`Created user '${name}'${opts.admin ? ' (administrator)' : ''}\n`);
    });
}
