/**
 * The standalone model server's entry point (`capstan serve`), apart from the index: importing the
 * index loads the whole platform (stores, S3 and PostgreSQL clients, every module), which alone
 * took longer than the one-second start-up a container per model needs.
 */
export { startModelServer, type ModelServerOptions, type RunningModelServer } from './app/start-model-server.js';
export { folderModelProvider, type ModelProvider, type ProvidedVersion } from './modules/serving/standalone/index.js';
