import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

/** A broken chain fails the command, so scripts and cron jobs notice it by the exit code. */
export function registerAuditVerify(group: Command, ctx: CommandContext): void {
  group
    .command('verify')
    .description("check the audit trail's hash chain; exits 1 if an entry was edited, removed or moved")
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await ctx.client().security.verifyAudit();
      if (opts.json) printJson(ctx.io, result);
      else ctx.io.stdout(`${result.ok ? 'ok' : 'BROKEN'}: ${result.checked} entries checked; head seq ${result.headSeq}, hash ${result.headHash}\n`);
      if (result.ok) return;
      const where = result.firstBadSeq !== undefined ? ` (first bad entry: seq ${result.firstBadSeq})` : '';
      throw Object.assign(new Error(`${result.problem ?? 'the hash chain does not verify'}${where}`), { code: 'AUDIT_CHAIN_BROKEN' });
    });
}
