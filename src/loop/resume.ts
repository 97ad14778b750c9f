// `fixloop resume`: what a run that did not end (killed, crashed) had done, read back from its
// journal, so the next process continues it without repeating or exceeding anything.
import type { Attempt, CommitRecord, FlakyTest, LoopEvent, Totals } from '../model.js';
import type { ProviderEvent } from '../repair/types.js';
import { LoopError } from './errors.js';
import { foldJournal, listRuns, readJournal } from './journal.js';
import { runStatus } from './status.js';

export interface ResumeState {
  runId: string;
  branch: string;
  baseSha: string;
  startedAt: string;
  /** The iteration to run next: the one that was interrupted, or the one after the last that ended. */
  nextIteration: number;
  commits: CommitRecord[];
  /** Every candidate tried, per problem: counts against maxAttemptsPerProblem and is not proposed again. */
  attempts: Map<string, Attempt[]>;
  flaky: FlakyTest[];
  totalsBefore?: Totals;
  reports: string[];
  /** What the providers emitted (model usage, notices): handed to their start(), so budgets spent stay spent. */
  providerEvents?: ProviderEvent[];
  /** Model usage already spent (the llm:usage events of providerEvents). */
  llmUsage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number }[];
}

/** The last run of the repository when it did not end, or a LoopError saying why there is nothing to resume. */
export function resumeState(root: string, runId?: string): ResumeState {
  const id = runId ?? listRuns(root).at(-1);
  if (!id) throw new LoopError(`No fixloop run found in ${root}: start one with \`fixloop run\`.`, 2);
  const status = runStatus(root, id);
  if (status.state === 'finished') throw new LoopError(`Run ${id} finished (${status.status}, ${status.stopReason}): nothing to resume. Start a new one with \`fixloop run\`.`, 2);
  if (status.state === 'running') throw new LoopError(`Run ${id} is still running (its process holds .fixloop/lock).`, 2);
  return fromJournal(readJournal(root, id), id);
}

export function fromJournal(events: LoopEvent[], runId: string): ResumeState {
  const fold = foldJournal(events);
  const { start } = fold;
  if (!start) throw new LoopError(`Run ${runId} stopped before it began (its journal has no run:start): start a new one.`, 2);
  return {
    runId,
    branch: start.branch,
    baseSha: start.baseSha,
    startedAt: start.at,
    nextIteration: fold.iteration > fold.ended ? fold.iteration : fold.ended + 1,
    commits: fold.commits,
    attempts: fold.attempts,
    flaky: fold.flaky,
    ...(fold.firstTotals ? { totalsBefore: fold.firstTotals } : {}),
    reports: fold.reports,
    providerEvents: fold.providerEvents,
    llmUsage: fold.usage.map((e) => ({ input_tokens: e.inputTokens, output_tokens: e.outputTokens, cache_read_input_tokens: e.cacheReadTokens, cache_creation_input_tokens: e.cacheWriteTokens })),
  };
}
