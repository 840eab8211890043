/**
 * The registry's light entry point: what serving needs (model URIs, reading a model package from a
 * local folder) without loading the registry module (its stores, routes and their dependencies).
 * Serving's data plane imports only this, which keeps `capstan serve`'s start-up under a second.
 */
export { folderServable, readFolderModel } from './serving/folder-servable.js';
export type { ServableVersion, ServingRegistry } from './serving/servable-versions.js';
export { parseModelUri } from './serving/model-uri.js';
export { aliasKey } from './serving/alias-key.js';
