// The journal: every event of a run, one JSON line each, appended as it happens
// (.fixloop/runs/<run-id>/journal.jsonl). `fixloop status` and `fixloop resume` both read a run
// back through the one fold below.
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Attempt, CommitRecord, FlakyTest, LoopEvent, Totals } from '../model.js';
import type { Reporter } from '../report/reporter.js';
import type { IterationTotals } from '../report/summary.js';
import { isRunFix, type BranchCommit } from '../vcs/history.js';
import { LoopError } from './errors.js';

type Of<T extends LoopEvent['type']> = Extract<LoopEvent, { type: T }>;

export function runsDir(root: string): string {
  return path.join(root, '.fixloop', 'runs');
}

export function journalFile(root: string, runId: string): string {
  return path.join(runsDir(root), runId, 'journal.jsonl');
}

/** The journal as a reporter: each event appended as a line, so a run killed at any point keeps everything before. */
export function journalReporter(file: string): Reporter {
  // Live progress is for the screen: a resumed run and the reports need the suites' ends only.
  return { onEvent: (event) => event.type !== 'suite:progress' && appendFileSync(file, `${JSON.stringify(event)}\n`) };
}

/** Run ids, oldest first (they start with a UTC timestamp). */
export function listRuns(root: string): string[] {
  const dir = runsDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((id) => existsSync(path.join(dir, id, 'journal.jsonl')))
    .sort();
}

export function readJournal(root: string, runId: string): LoopEvent[] {
  const file = journalFile(root, runId);
  if (!existsSync(file)) throw new LoopError(`No run ${runId} in ${runsDir(root)}: \`fixloop status\` lists the last one.`, 2);
  const events: LoopEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as LoopEvent);
    } catch {
      // A run killed mid-write leaves a torn last line; everything before it stands.
    }
  }
  return events;
}

/** What a run's events add up to. */
export interface JournalFold {
  start?: Of<'run:start'>;
  /** The branch of the last run:start or run:resume. */
  branch?: string;
  lastEventAt?: string;
  /** The last iteration that started, and the last that ended. */
  iteration: number;
  ended: number;
  /** Problems found in the last iteration that started. */
  problems: number;
  candidates: { proposed: number; rejected: number; verified: number };
  /** Every candidate that did not lead to a commit, and every commit, per problem. */
  attempts: Map<string, Attempt[]>;
  commits: CommitRecord[];
  flaky: FlakyTest[];
  /** The first suites' run, and the last totals seen (a suites' run or an iteration's end). */
  firstTotals?: Totals;
  lastTotals?: Totals;
  /** The iterations' reports. */
  reports: string[];
  /** Each iteration that ended: its totals at its start and at its end, as the run summary charts them. */
  totalsByIteration: IterationTotals[];
  usage: Of<'llm:usage'>[];
  /** Model usage and notices, in order: what the providers emitted. */
  providerEvents: Of<'llm:usage' | 'llm:notice'>[];
  end?: Of<'run:end'>;
}

export function foldJournal(events: LoopEvent[]): JournalFold {
  const fold: JournalFold = { iteration: 0, ended: 0, problems: 0, candidates: { proposed: 0, rejected: 0, verified: 0 }, attempts: new Map(), commits: [], flaky: [], reports: [], totalsByIteration: [], usage: [], providerEvents: [] };
  // An iteration after a commit starts from the verification run of the head: no suites:end of its own.
  let iterationBefore: Totals | undefined;
  const proposed = new Map<string, { provider: string; title: string }>();
  const attempt = (problemId: string, candidateId: string, outcome: Attempt['outcome'], reason?: string, cutShort?: string) => {
    const p = proposed.get(candidateId);
    const list = fold.attempts.get(problemId) ?? [];
    fold.attempts.set(problemId, list);
    list.push({ problemId, candidateId, provider: p?.provider ?? 'unknown', title: p?.title ?? candidateId, outcome, reason, diff: '', ...(cutShort ? { cutShort } : {}) });
  };
  for (const e of events) {
    fold.lastEventAt = e.at;
    switch (e.type) {
      case 'run:start':
        fold.start ??= e;
        fold.branch = e.branch;
        break;
      case 'run:resume':
        fold.branch = e.branch;
        for (const c of e.recovered ?? []) {
          proposed.set(c.candidateId, { provider: c.provider, title: c.message.split('\n')[0] });
          attempt(c.problemId, c.candidateId, 'committed');
          fold.commits.push(c);
        }
        break;
      case 'iteration:start':
        fold.iteration = e.iteration;
        fold.problems = 0;
        iterationBefore = undefined;
        break;
      case 'suites:end':
        fold.firstTotals ??= e.totals;
        iterationBefore ??= e.totals;
        fold.lastTotals = e.totals;
        break;
      case 'problem:found':
        fold.problems++;
        break;
      case 'flaky:found':
        fold.flaky.push(...e.tests);
        break;
      case 'candidate:proposed':
        fold.candidates.proposed++;
        proposed.set(e.candidateId, { provider: e.provider, title: e.title });
        break;
      case 'candidate:rejected':
        fold.candidates.rejected++;
        attempt(e.problemId, e.candidateId, 'rejected', e.reason);
        break;
      case 'candidate:verified':
        fold.candidates.verified++;
        if (e.verdict !== 'fixed' && e.verdict !== 'partial') attempt(e.problemId, e.candidateId, 'not-accepted', e.summary, e.cutShort);
        break;
      case 'fix:committed': {
        attempt(e.problemId, e.candidateId, 'committed');
        const provider = proposed.get(e.candidateId)?.provider ?? 'unknown';
        fold.commits.push({ sha: e.sha, message: e.message, files: e.files, problemId: e.problemId, candidateId: e.candidateId, provider, iteration: e.iteration });
        break;
      }
      case 'llm:usage':
        fold.usage.push(e);
        fold.providerEvents.push(e);
        break;
      case 'llm:notice':
        fold.providerEvents.push(e);
        break;
      case 'iteration:end':
        fold.totalsByIteration.push({ iteration: e.iteration, before: iterationBefore ?? fold.lastTotals ?? e.totals, after: e.totals });
        fold.ended = e.iteration;
        fold.lastTotals = e.totals;
        fold.reports.push(...e.reports);
        break;
      case 'run:end':
        fold.end = e;
        break;
    }
  }
  return fold;
}

/** The run's fixes on the branch whose sha the journal does not record, read back from their trailers. */
export function missingFixes(state: { runId: string; commits: CommitRecord[]; nextIteration: number }, onBranch: BranchCommit[]): CommitRecord[] {
  const known = new Set(state.commits.map((c) => c.sha));
  return onBranch
    .filter((c) => isRunFix(c, state.runId) && !known.has(c.sha))
    .map((c) => ({
      sha: c.sha,
      message: c.message,
      files: c.files,
      problemId: c.trailers['Fixloop-Problem'] ?? 'unknown',
      candidateId: c.trailers['Fixloop-Candidate'] ?? c.sha,
      provider: c.trailers['Fixloop-Provider'],
      iteration: Number(c.trailers['Fixloop-Iteration']) || state.nextIteration,
    }));
}
