export { createLoop, type Loop, type LoopOptions } from './loop.js';
export { LoopError } from './errors.js';
