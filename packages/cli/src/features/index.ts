import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { CliIo } from '../io.js';
import { registerFeaturesApply } from './commands/apply.js';
import { registerFeaturesHistorical } from './commands/historical.js';
import { registerFeaturesMaterialize } from './commands/materialize.js';
import { registerFeaturesOnline } from './commands/online.js';
import { registerFeaturesPlan } from './commands/plan.js';
import { registerFeaturesProjects } from './commands/projects.js';
import { registerFeaturesStatus } from './commands/status.js';
import { terminalConfirm, type Confirm } from './confirm.js';

/**
 * `capstan features ...`: the feature store. Definitions are read from TypeScript (run with tsx)
 * or YAML files; see README.md in this folder. `confirmOn` is how apply asks (tests answer for the user).
 */
export function registerFeatures(program: Command, ctx: CommandContext, confirmOn: (io: CliIo) => Confirm | undefined = terminalConfirm): void {
  const group = program.command('features').description('feature store: plan and apply definitions, look features up, materialize');
  registerFeaturesPlan(group, ctx);
  registerFeaturesApply(group, ctx, confirmOn);
  registerFeaturesProjects(group, ctx);
  registerFeaturesStatus(group, ctx);
  registerFeaturesMaterialize(group, ctx);
  registerFeaturesOnline(group, ctx);
  registerFeaturesHistorical(group, ctx);
}
