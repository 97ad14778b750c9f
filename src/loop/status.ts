// `fixloop status`: what the journal of a run says about it, and whether its process still runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommitRecord, StopReason, Totals } from '../model.js';
import { LoopError } from './errors.js';
import { branchCommitsSync } from '../vcs/history.js';
import { foldJournal, listRuns, missingFixes, readJournal, type JournalFold } from './journal.js';

export interface RunStatus {
  runId: string;
  /** running: its process holds the lock; finished: it wrote run:end; stopped: neither (killed or crashed). */
  state: 'running' | 'finished' | 'stopped';
  branch?: string;
  startedAt?: string;
  lastEventAt?: string;
  iteration: number;
  problems: number;
  commits: { sha: string; message: string }[];
  candidates: { proposed: number; rejected: number; verified: number };
  totalsBefore?: Totals;
  totalsAfter?: Totals;
  status?: string;
  stopReason?: StopReason;
  reports: string[];
}

function lockedBy(root: string): string | undefined {
  try {
    const owner = JSON.parse(readFileSync(path.join(root, '.fixloop', 'lock'), 'utf8'));
    process.kill(owner.pid, 0);
    return owner.runId;
  } catch {
    return undefined;
  }
}

/** A stopped run's fixes on its branch that its journal lacks (killed inside \`git commit\`): \`fixloop resume\` will record them. */
function unrecorded(root: string, runId: string, fold: JournalFold): CommitRecord[] {
  if (fold.end || !fold.start || !fold.branch) return [];
  return missingFixes({ runId, commits: fold.commits, nextIteration: fold.iteration }, branchCommitsSync(root, fold.start.baseSha, fold.branch));
}

/** What the journal of a run says about it: the current or last run when no id is given. */
export function runStatus(root: string, runId?: string): RunStatus {
  const id = runId ?? listRuns(root).at(-1);
  if (!id) throw new LoopError(`No fixloop run found in ${root}: start one with \`fixloop run\`.`, 2);
  const fold = foldJournal(readJournal(root, id));
  const { end } = fold;
  const status: RunStatus = {
    runId: id,
    state: end ? 'finished' : lockedBy(root) === id ? 'running' : 'stopped',
    iteration: fold.iteration,
    problems: fold.problems,
    commits: [...fold.commits, ...unrecorded(root, id, fold)].map((c) => ({ sha: c.sha, message: c.message.split('\n')[0] })),
    candidates: fold.candidates,
    reports: end ? end.reports : fold.reports,
  };
  // Keys in the order events add them (run:start, suites:end, run:end): `status --json` prints them so.
  if (fold.lastEventAt !== undefined) status.lastEventAt = fold.lastEventAt;
  if (fold.start) status.startedAt = fold.start.at;
  if (fold.branch !== undefined) status.branch = fold.branch;
  const totals = () => {
    status.totalsBefore = end ? end.totalsBefore : fold.firstTotals;
    status.totalsAfter = end ? end.totalsAfter : fold.lastTotals;
  };
  if (fold.firstTotals) totals();
  if (end) {
    status.status = end.status;
    status.stopReason = end.stopReason;
    if (!fold.firstTotals) totals();
  }
  return status;
}
