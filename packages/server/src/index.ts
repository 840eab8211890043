/** The server's public surface for the CLI, tests and embedding. */
export { loadConfig, parseServerArgs, SERVER_USAGE, type CapstanConfig } from './core/config.js';
export { CapstanError } from './core/errors.js';
export { createApp, type CapstanApp } from './app/create-app.js';
export { startServer, type RunningServer } from './app/start-server.js';
export { startEphemeralServer, type EphemeralServer } from './app/start-ephemeral-server.js';
export { reportStartupFailure, runServerCommand } from './app/server-command.js';
export { createUserInStore } from './app/store-users.js';
