import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerAuditExport } from './commands/audit-export.js';
import { registerAuditQuery } from './commands/audit-query.js';
import { registerAuditVerify } from './commands/audit-verify.js';
import { registerExperimentsCreate } from './commands/experiments-create.js';
import { registerExperimentsList } from './commands/experiments-list.js';
import { registerFeatures } from './features/index.js';
import { registerGrantsDelete } from './commands/grants-delete.js';
import { registerGrantsList } from './commands/grants-list.js';
import { registerGrantsSet } from './commands/grants-set.js';
import { registerGroupsAddMember } from './commands/groups-add-member.js';
import { registerGroupsCreate } from './commands/groups-create.js';
import { registerGroupsDelete } from './commands/groups-delete.js';
import { registerGroupsList } from './commands/groups-list.js';
import { registerGroupsRemoveMember } from './commands/groups-remove-member.js';
import { registerModelsAliasDelete } from './commands/models-alias-delete.js';
import { registerModelsAliasSet } from './commands/models-alias-set.js';
import { registerApply } from './commands/apply.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDeployments } from './commands/deployments.js';
import { registerModelsDownload } from './commands/models-download.js';
import { registerModelsLineage } from './commands/models-lineage.js';
import { registerModelsList } from './commands/models-list.js';
import { registerModelsLog } from './commands/models-log.js';
import { registerModelsRegister } from './commands/models-register.js';
import { registerModelsStage } from './commands/models-stage.js';
import { registerModelsVersions } from './commands/models-versions.js';
import { registerMonitorReport } from './commands/monitor-report.js';
import { registerMonitorsAlerts } from './commands/monitors-alerts.js';
import { registerMonitorsDelete } from './commands/monitors-delete.js';
import { registerMonitorsGet } from './commands/monitors-get.js';
import { registerMonitorsGetRun } from './commands/monitors-get-run.js';
import { registerMonitorsList } from './commands/monitors-list.js';
import { registerMonitorsRun } from './commands/monitors-run.js';
import { registerMonitorsRuns } from './commands/monitors-runs.js';
import { registerRunsDescribe } from './commands/runs-describe.js';
import { registerRunsList } from './commands/runs-list.js';
import { registerServe } from './commands/serve.js';
import { registerServerCommand } from './commands/server.js';
import { registerTokensCreate } from './commands/tokens-create.js';
import { registerTokensList } from './commands/tokens-list.js';
import { registerTokensRevoke } from './commands/tokens-revoke.js';
import { registerUsersCreate } from './commands/users-create.js';
import { registerUsersDelete } from './commands/users-delete.js';
import { registerUsersList } from './commands/users-list.js';
import { registerUsersUpdate } from './commands/users-update.js';
import { registerWhoami } from './commands/whoami.js';
import { registerWorkspacesCreate } from './commands/workspaces-create.js';
import { registerWorkspacesList } from './commands/workspaces-list.js';
import { registerWorkspacesMembers } from './commands/workspaces-members.js';
import { registerWorkspacesRemoveMember } from './commands/workspaces-remove-member.js';
import { registerWorkspacesSetRole } from './commands/workspaces-set-role.js';
import { defaultDeps, type CliDeps, type CommandContext } from './context.js';
import { describeError } from './errors.js';
import { processIo, type CliIo } from './io.js';

// src/ and dist/ both sit one level below the package root.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const ENVIRONMENT_HELP = `
Environment:
  CAPSTAN_URL                 server URL (else an http(s) MLFLOW_TRACKING_URI)
  CAPSTAN_TOKEN               API token; wins over the MLflow credentials below
  MLFLOW_TRACKING_USERNAME    with MLFLOW_TRACKING_PASSWORD: basic auth
  MLFLOW_TRACKING_TOKEN       bearer token, used when no username and password are set
  CAPSTAN_WORKSPACE           workspace for the experiments and models you create`;

/**
 * Runs the `capstan` command line and resolves to its exit code; never calls `process.exit`, so
 * tests can drive it with captured output and a chosen environment.
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), deps: Partial<CliDeps> = {}): Promise<number> {
  const { createClient, runServer, startModelServer, createUserInStore } = { ...defaultDeps, ...deps };
  const program = new Command('capstan');
  // Set before adding commands: subcommands copy these settings when created.
  program
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .enablePositionalOptions()
    .version(version)
    .description('Capstan: MLflow-compatible experiment tracking')
    .option('--url <url>', 'tracking server URL (default: $CAPSTAN_URL, $MLFLOW_TRACKING_URI, http://127.0.0.1:5000)')
    .addHelpText('after', ENVIRONMENT_HELP);

  let client: ReturnType<CliDeps['createClient']> | undefined;
  const ctx: CommandContext = {
    io,
    client: () => (client ??= createClient({ ...program.opts<{ url?: string }>(), env: io.env })),
    runServer,
    startModelServer,
    createUserInStore,
  };

  registerServerCommand(program, ctx);
  registerServe(program, ctx);
  const experiments = program.command('experiments').description('list and create experiments');
  registerExperimentsList(experiments, ctx);
  registerExperimentsCreate(experiments, ctx);
  const runs = program.command('runs').description('list and inspect runs');
  registerRunsList(runs, ctx);
  registerRunsDescribe(runs, ctx);
  const models = program.command('models').description('log, register, list, promote and download models');
  registerModelsLog(models, ctx);
  registerModelsRegister(models, ctx);
  registerModelsList(models, ctx);
  registerModelsVersions(models, ctx);
  const aliases = models.command('alias').description('set and delete aliases (models:/<name>@<alias>)');
  registerModelsAliasSet(aliases, ctx);
  registerModelsAliasDelete(aliases, ctx);
  registerModelsStage(models, ctx);
  registerModelsDownload(models, ctx);
  registerModelsLineage(models, ctx);

  registerDeploy(program, ctx);
  registerApply(program, ctx);
  registerDeployments(program, ctx);
  const monitors = program.command('monitors').description('monitors of deployments: list, run now, read runs and alert deliveries, delete');
  registerMonitorsList(monitors, ctx);
  registerMonitorsGet(monitors, ctx);
  registerMonitorsRun(monitors, ctx);
  registerMonitorsRuns(monitors, ctx);
  registerMonitorsGetRun(monitors, ctx);
  registerMonitorsAlerts(monitors, ctx);
  registerMonitorsDelete(monitors, ctx);
  registerFeatures(program, ctx);
  const monitor = program.command('monitor').description('drift reports on files, offline (no server needed); see `monitors` for monitors of deployments');
  registerMonitorReport(monitor, ctx);

  registerWhoami(program, ctx);
  const users = program.command('users').description('manage users (administrators)');
  registerUsersList(users, ctx);
  registerUsersCreate(users, ctx);
  registerUsersUpdate(users, ctx);
  registerUsersDelete(users, ctx);
  const groups = program.command('groups').description('manage groups of users (administrators)');
  registerGroupsList(groups, ctx);
  registerGroupsCreate(groups, ctx);
  registerGroupsDelete(groups, ctx);
  registerGroupsAddMember(groups, ctx);
  registerGroupsRemoveMember(groups, ctx);
  const tokens = program.command('tokens').description('create, list and revoke API tokens');
  registerTokensCreate(tokens, ctx);
  registerTokensList(tokens, ctx);
  registerTokensRevoke(tokens, ctx);
  const workspaces = program.command('workspaces').description('manage workspaces and the roles users and groups hold in them');
  registerWorkspacesList(workspaces, ctx);
  registerWorkspacesCreate(workspaces, ctx);
  registerWorkspacesMembers(workspaces, ctx);
  registerWorkspacesSetRole(workspaces, ctx);
  registerWorkspacesRemoveMember(workspaces, ctx);
  const grants = program.command('grants').description('per-object permissions on experiments and registered models');
  registerGrantsList(grants, ctx);
  registerGrantsSet(grants, ctx);
  registerGrantsDelete(grants, ctx);
  const audit = program.command('audit').description('query, export and verify the audit trail (administrators)');
  registerAuditQuery(audit, ctx);
  registerAuditExport(audit, ctx);
  registerAuditVerify(audit, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has already printed its own usage error or help text.
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`${describeError(err)}\n`);
    return 1;
  }
}
