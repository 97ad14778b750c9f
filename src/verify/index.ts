export * from './compare.js';
export * from './verify.js';
export * from './history.js';
