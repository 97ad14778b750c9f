// `fixloop resume`: what a run that did not end (killed, crashed) had done, read back from its
// journal, so the next process continues it without repeating or exceeding anything.
import type { Attempt, CommitRecord, FlakyTest, LoopEvent, Totals } from '../model.js';
import type { ProviderEvent } from '../repair/types.js';
import type { IterationTotals } from '../report/summary.js';
import { branchCommits, git } from '../vcs/index.js';
import { LoopError } from './errors.js';
import { foldJournal, listRuns, missingFixes, readJournal } from './journal.js';
import { runStatus } from './status.js';

export interface ResumeState {
  runId: string;
  branch: string;
  baseSha: string;
  startedAt: string;
  /** The iteration to run next: the one that was interrupted, or the one after the last that ended. */
  nextIteration: number;
  commits: CommitRecord[];
  /** Fixes found on the branch that the journal lacked (the process died between \`git commit\` and its record): part of `commits`. */
  recovered?: CommitRecord[];
  /** Every candidate tried, per problem: counts against maxAttemptsPerProblem and is not proposed again. */
  attempts: Map<string, Attempt[]>;
  flaky: FlakyTest[];
  totalsBefore?: Totals;
  /** The last totals the journal has (an iteration's end, or a suites' run): the run's end if nothing more runs. */
  totalsAfter?: Totals;
  /** The iterations that ended, with their totals: the resumed run's summary charts them before its own. */
  earlier: IterationTotals[];
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
    ...(fold.lastTotals ? { totalsAfter: fold.lastTotals } : {}),
    earlier: fold.totalsByIteration,
    reports: fold.reports,
    providerEvents: fold.providerEvents,
    llmUsage: fold.usage.map((e) => ({ input_tokens: e.inputTokens, output_tokens: e.outputTokens, cache_read_input_tokens: e.cacheReadTokens, cache_creation_input_tokens: e.cacheWriteTokens })),
  };
}

/**
 * The branch is the truth: a fix of the run on its branch that the journal lacks (the process was
 * killed between \`git commit\` and the journal's line, e.g. while a post-commit hook ran) is
 * added to the state's commits and attempts, as committed, never re-done or discarded.
 */
export async function reconcileWithBranch(root: string, state: ResumeState): Promise<void> {
  if (!(await git(root).branchLocal()).all.includes(state.branch)) {
    throw new LoopError(`Run ${state.runId} cannot be resumed: its branch ${state.branch} is gone.`, 2);
  }
  const recovered = missingFixes(state, await branchCommits(root, state.baseSha, state.branch));
  state.recovered = recovered;
  state.commits.push(...recovered);
  for (const c of recovered) {
    const list = state.attempts.get(c.problemId) ?? [];
    state.attempts.set(c.problemId, list);
    list.push({ problemId: c.problemId, candidateId: c.candidateId, provider: c.provider, title: c.message.split('\n')[0], outcome: 'committed', diff: '' });
  }
}
