export * from './patch.js';
export * from './guards.js';
