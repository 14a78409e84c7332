export * from './families.js';
export * from './topology.js';
export * from './efficient-su2.js';
export * from './observables.js';
