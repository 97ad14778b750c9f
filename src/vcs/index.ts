export * from './repo.js';
export * from './message.js';
