export * from './families.js';
export * from './topology.js';
