export * from './errors.js';
export * from './mlflow/index.js';
