// When the loop stops, and why: pure decisions over what the run knows, so each reason can be
// tested without running anything. The loop asks before each iteration, after each, and when
// an iteration ended in an error.
import type { DeployResult, StopReason, TestRun } from '../model.js';
import { BudgetExhaustedError, ProviderFatalError } from '../repair/errors.js';
import { isGreen } from '../report/index.js';
import { blockedByEnvironment } from '../runners/missing.js';
import { StopRequested } from './problem.js';

/** What the stop decision looks at. */
export interface RunState {
  /** The iteration about to start (no `ended`), or the one that just ended. */
  iteration: number;
  maxIterations: number;
  /** The policy's goal.expectedTests. */
  expectedTests?: number;
  /** budget.maxWallMinutes, and whether the run has been going longer. */
  maxWallMinutes?: number;
  wallSpent: boolean;
  aborted: boolean;
  /** deploy.stopOnFailure. */
  stopOnDeployFailure?: boolean;
  /** The iteration that just ended. */
  ended?: {
    /** The head's test run after the iteration's fixes. */
    after: TestRun;
    commits: number;
    attempts: number;
    /** Every failing test is flaky (onlyFlakyFail). */
    onlyFlaky?: boolean;
    deploy?: DeployResult[];
  };
}

export interface Stop {
  reason: StopReason;
  /** A budget that ran out: announced as budget:spent. */
  spent?: { budget: string; limit: number };
  /** Why a provider could not go on (reason "fatal"). */
  error?: string;
}

/** Whether to stop now; undefined to run the next iteration. */
export function stopDecision(state: RunState): Stop | undefined {
  const { ended } = state;
  if (!ended) {
    if (state.iteration > state.maxIterations) return { reason: 'max-iterations' };
    // The first iteration always runs; a resumed run may have spent its wall time before.
    if (state.iteration > 1 && state.wallSpent) return { reason: 'budget', spent: { budget: 'maxWallMinutes', limit: state.maxWallMinutes! } };
    return undefined;
  }
  if (state.aborted) return { reason: 'interrupted' };
  if (blockedByEnvironment(ended.after)) return { reason: 'blocked' };
  if (isGreen(ended.after, { expectedTests: state.expectedTests })) return { reason: 'green' };
  if (ended.onlyFlaky) return { reason: 'flaky' };
  if (state.stopOnDeployFailure && ended.deploy?.some((d) => d.status === 'failed')) return { reason: 'deploy-failed' };
  if (state.wallSpent) return { reason: 'budget', spent: { budget: 'maxWallMinutes', limit: state.maxWallMinutes! } };
  // Nothing committed: tried and failed (no-progress), or nobody had anything to try (nothing-fixable).
  if (ended.commits === 0) return { reason: ended.attempts ? 'no-progress' : 'nothing-fixable' };
  if (state.iteration >= state.maxIterations) return { reason: 'max-iterations', spent: { budget: 'maxIterations', limit: state.maxIterations } };
  return undefined;
}

/**
 * An error that ended an iteration: a spent model budget, a provider that cannot go on, the
 * approver's stop, an interruption or the wall-clock deadline (either rejects whatever step was
 * running) end the run cleanly; anything else is a crash (undefined: the caller rethrows it).
 */
export function stopForError(err: unknown, aborted: boolean, wallDeadline?: { passed: boolean; maxWallMinutes?: number }): Stop | undefined {
  if (err instanceof BudgetExhaustedError) return { reason: 'budget', spent: { budget: err.budget, limit: err.limit } };
  if (err instanceof ProviderFatalError) return { reason: 'fatal', error: err.message };
  if (err instanceof StopRequested) return { reason: 'stopped' };
  if (aborted) return { reason: 'interrupted' };
  // The deadline aborted the running step: an interruption, whose reason is the budget.
  if (wallDeadline?.passed) return { reason: 'budget', spent: { budget: 'maxWallMinutes', limit: wallDeadline.maxWallMinutes! } };
  return undefined;
}
