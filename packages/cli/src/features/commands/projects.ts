import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { formatTable } from '../../format/table.js';
import { formatTime } from '../../format/values.js';

/** `capstan features list | get PROJECT | delete PROJECT`. */
export function registerFeaturesProjects(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('feature projects you may read')
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: { json?: boolean }) => {
      const projects = await ctx.client().features.listProjects();
      if (opts.json) return printJson(ctx.io, projects);
      ctx.io.stdout(formatTable(['PROJECT', 'WORKSPACE', 'REVISION', 'UPDATED'], projects.map((p) => [p.project, p.workspace, String(p.revision), formatTime(p.updated_at)])));
    });
  group
    .command('get')
    .argument('<project>')
    .description('a project as JSON, with its definition as applied (a YAML file in this shape can be applied again)')
    .action(async (project: string) => printJson(ctx.io, await ctx.client().features.getProject(project)));
  group
    .command('delete')
    .argument('<project>')
    .description("delete a project's definitions and its online rows")
    .action(async (project: string) => {
      await ctx.client().features.deleteProject(project);
      ctx.io.stderr(`Deleted feature project '${project}'\n`);
    });
}
