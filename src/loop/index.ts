export { createLoop, resumeLoop, type Loop, type LoopOptions } from './loop.js';
export { resumeState, fromJournal, type ResumeState } from './resume.js';
export { LoopError } from './errors.js';
export { listRuns, readJournal, runStatus, type RunStatus } from './status.js';
export { StopRequested, type Approver, type ApprovalRequest } from './repair.js';
