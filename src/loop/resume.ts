// `fixloop resume`: what a run that did not end (killed, crashed) had done, read back from its
// journal, so the next process continues it without repeating or exceeding anything.
import type { Attempt, CommitRecord, FlakyTest, LoopEvent, Totals } from '../model.js';
import { LoopError } from './errors.js';
import { listRuns, readJournal, runStatus } from './status.js';

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
  /** Model usage already spent, replayed into the budget. */
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
  const start = events.find((e) => e.type === 'run:start');
  if (!start || start.type !== 'run:start') throw new LoopError(`Run ${runId} stopped before it began (its journal has no run:start): start a new one.`, 2);
  const state: ResumeState = {
    runId,
    branch: start.branch,
    baseSha: start.baseSha,
    startedAt: start.at,
    nextIteration: 1,
    commits: [],
    attempts: new Map(),
    flaky: [],
    reports: [],
    llmUsage: [],
  };
  const proposed = new Map<string, { provider: string; title: string; problemId: string }>();
  const attempt = (problemId: string, candidateId: string, outcome: Attempt['outcome'], reason?: string) => {
    const p = proposed.get(candidateId);
    const list = state.attempts.get(problemId) ?? [];
    state.attempts.set(problemId, list);
    list.push({ problemId, candidateId, provider: p?.provider ?? 'unknown', title: p?.title ?? candidateId, outcome, reason, diff: '' });
  };
  let lastStarted = 0;
  let lastEnded = 0;
  for (const e of events) {
    switch (e.type) {
      case 'iteration:start':
        lastStarted = e.iteration;
        break;
      case 'iteration:end':
        lastEnded = e.iteration;
        state.reports.push(...e.reports);
        break;
      case 'suites:end':
        state.totalsBefore ??= e.totals;
        break;
      case 'flaky:found':
        state.flaky.push(...e.tests);
        break;
      case 'candidate:proposed':
        proposed.set(e.candidateId, { provider: e.provider, title: e.title, problemId: e.problemId });
        break;
      case 'candidate:rejected':
        attempt(e.problemId, e.candidateId, 'rejected', e.reason);
        break;
      case 'candidate:verified':
        if (e.verdict !== 'fixed' && e.verdict !== 'partial') attempt(e.problemId, e.candidateId, 'not-accepted', e.summary);
        break;
      case 'fix:committed': {
        attempt(e.problemId, e.candidateId, 'committed');
        const provider = proposed.get(e.candidateId)?.provider ?? 'unknown';
        state.commits.push({ sha: e.sha, message: e.message, files: e.files, problemId: e.problemId, candidateId: e.candidateId, provider, iteration: e.iteration });
        break;
      }
      case 'llm:usage':
        state.llmUsage.push({ input_tokens: e.inputTokens, output_tokens: e.outputTokens, cache_read_input_tokens: e.cacheReadTokens, cache_creation_input_tokens: e.cacheWriteTokens });
        break;
    }
  }
  state.nextIteration = lastStarted > lastEnded ? lastStarted : lastEnded + 1;
  return state;
}
