export * from './compare.js';
export * from './verify.js';
