/**
 * The registry's light entry point: what serving needs to read a model package from a local folder,
 * without loading the registry module (its stores, routes and their dependencies). A standalone
 * `capstan serve` process imports only this, which keeps its start-up under a second.
 */
export { folderServable, readFolderModel } from './serving/folder-servable.js';
export type { ServableVersion, ServingRegistry } from './serving/servable-versions.js';
