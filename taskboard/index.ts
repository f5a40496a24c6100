/** The Taskboard domain, given complete to every lesson. */
export * from './types.js';
export * from './errors.js';
export * from './store.js';
export * from './demo.js';
