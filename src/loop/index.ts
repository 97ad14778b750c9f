export { createLoop, resumeLoop, type Loop, type LoopOptions } from './loop.js';
export { resumeState, fromJournal, type ResumeState } from './resume.js';
export { LoopError } from './errors.js';
export { runStatus, type RunStatus } from './status.js';
export { listRuns, readJournal } from './journal.js';
export { StopRequested, type Approver, type ApprovalRequest } from './problem.js';
