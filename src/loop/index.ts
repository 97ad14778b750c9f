export { createLoop, type Loop, type LoopOptions } from './loop.js';
export { LoopError } from './errors.js';
export { listRuns, readJournal, runStatus, type RunStatus } from './status.js';
export { StopRequested, type Approver, type ApprovalRequest } from './repair.js';
