import { reportStartupFailure, runServerCommand } from './app/server-command.js';

runServerCommand(process.argv.slice(2)).catch(reportStartupFailure);
