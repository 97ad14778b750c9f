import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoopEvent, StopReason, Totals } from '../model.js';
import { LoopError } from './errors.js';

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

function runsDir(root: string): string {
  return path.join(root, '.fixloop', 'runs');
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
  const file = path.join(runsDir(root), runId, 'journal.jsonl');
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

function lockedBy(root: string): string | undefined {
  try {
    const owner = JSON.parse(readFileSync(path.join(root, '.fixloop', 'lock'), 'utf8'));
    process.kill(owner.pid, 0);
    return owner.runId;
  } catch {
    return undefined;
  }
}

/** What the journal of a run says about it: the current or last run when no id is given. */
export function runStatus(root: string, runId?: string): RunStatus {
  const id = runId ?? listRuns(root).at(-1);
  if (!id) throw new LoopError(`No fixloop run found in ${root}: start one with \`fixloop run\`.`, 2);
  const events = readJournal(root, id);
  const status: RunStatus = { runId: id, state: 'stopped', iteration: 0, problems: 0, commits: [], candidates: { proposed: 0, rejected: 0, verified: 0 }, reports: [] };
  for (const e of events) {
    status.lastEventAt = e.at;
    switch (e.type) {
      case 'run:start':
        status.startedAt = e.at;
        status.branch = e.branch;
        break;
      case 'run:resume':
        status.branch = e.branch;
        break;
      case 'iteration:start':
        status.iteration = e.iteration;
        status.problems = 0;
        break;
      case 'suites:end':
        status.totalsBefore ??= e.totals;
        status.totalsAfter = e.totals;
        break;
      case 'problem:found':
        status.problems++;
        break;
      case 'candidate:proposed':
        status.candidates.proposed++;
        break;
      case 'candidate:rejected':
        status.candidates.rejected++;
        break;
      case 'candidate:verified':
        status.candidates.verified++;
        break;
      case 'fix:committed':
        status.commits.push({ sha: e.sha, message: e.message.split('\n')[0] });
        break;
      case 'iteration:end':
        status.totalsAfter = e.totals;
        status.reports.push(...e.reports);
        break;
      case 'run:end':
        status.state = 'finished';
        status.status = e.status;
        status.stopReason = e.stopReason;
        status.totalsBefore = e.totalsBefore;
        status.totalsAfter = e.totalsAfter;
        status.reports = e.reports;
        break;
    }
  }
  if (status.state !== 'finished' && lockedBy(root) === id) status.state = 'running';
  return status;
}
