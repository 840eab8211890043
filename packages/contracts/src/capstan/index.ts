export * from './security.js';
export * from './lineage.js';
