export * from './repo.js';
export * from './message.js';
export * from './dependencies.js';
