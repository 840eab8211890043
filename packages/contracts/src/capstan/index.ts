export * from './security.js';
export * from './lineage.js';
export * from './promotion.js';
export * from './deployments.js';
export * from './monitoring.js';
export * from './monitors.js';
export * from './monitoring-report.js';
export * from './monitoring-performance.js';
