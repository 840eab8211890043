export * from './errors.js';
export * from './mlflow/index.js';
export * from './capstan/index.js';
