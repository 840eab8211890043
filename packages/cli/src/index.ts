/** `@capstan/cli`: the `capstan` command line, callable in-process for tests and embedding. */
export { main } from './cli.js';
export type { CliIo } from './io.js';
export type { CliDeps } from './context.js';
