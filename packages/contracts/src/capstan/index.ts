export * from './security.js';
