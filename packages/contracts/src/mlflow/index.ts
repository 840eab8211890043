/** MLflow tracking API wire types and routes: the one table the server, SDK and docs share. */
export * from './common.js';
export * from './experiments.js';
export * from './runs.js';
export * from './metrics.js';
export * from './artifacts.js';
export * from './datasets.js';
export * from './logged-models.js';
export * from './routes.js';
export * from './registry.js';
