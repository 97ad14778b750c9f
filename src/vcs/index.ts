export * from './repo.js';
export * from './message.js';
export * from './dependencies.js';
export * from './history.js';
