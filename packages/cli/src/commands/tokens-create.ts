import { InvalidArgumentError, type Command } from 'commander';
import type { TokenScope } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { formatTime, parseDuration, parseList } from '../format/values.js';

const SCOPES: readonly TokenScope[] = ['read', 'write', 'infer', 'admin'];

function parseScopes(value: string): TokenScope[] {
  const scopes = parseList(value);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new InvalidArgumentError(`unknown scope ${unknown.join(', ')}; use ${SCOPES.join(', ')}`);
  return scopes as TokenScope[];
}

interface Options {
  name: string;
  scopes: TokenScope[];
  /** Milliseconds from now. */
  expiresIn?: number;
  deployments?: string[];
  user?: string;
  json?: boolean;
}

/**
 * Prints the secret alone on stdout, so `TOKEN=$(capstan tokens create ...)` captures exactly it;
 * what the token is, and that it will not be shown again, goes to stderr.
 */
export function registerTokensCreate(group: Command, ctx: CommandContext): void {
  group
    .command('create')
    .description('create an API token and print its secret, once')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ci-pipeline"')
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`, parseScopes)
    .option('--expires-in <duration>', 'lifetime such as 90m, 12h, 30d, 2w (default: no expiry)', parseDuration)
    .option('--deployments <list>', 'comma-separated deployments an infer token may call (default: any)', parseList)
    .option('--user <name>', 'owner, for administrators creating a service account token (default: you)')
    .option('--json', 'print the API response, secret included, as JSON')
    .action(async (opts: Options) => {
      const response = await ctx.client().security.createToken({
        name: opts.name,
        scopes: opts.scopes,
        ...(opts.expiresIn !== undefined ? { expires_at: Date.now() + opts.expiresIn } : {}),
        ...(opts.deployments ? { deployments: opts.deployments } : {}),
        ...(opts.user !== undefined ? { user: opts.user } : {}),
      });
      const info = response.token_info;
      const expires = info.expires_at === null ? 'never expires' : `expires ${formatTime(info.expires_at)}`;
      ctx.io.stderr(`Created token ${info.token_id} '${info.name}' for ${info.user} (scopes ${info.scopes.join(',')}; ${expires}).\n`);
      ctx.io.stderr('Store the secret now: it cannot be shown again.\n');
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`${response.token}\n`);
    });
}
