// A problem's culprit: the commit after the last one where its failing tests passed, found from
// the loop's earlier runs and, where they do not tell, a bisection bounded by the policy.
import type { Culprit, CulpritSearch, Problem, TestRun } from '../model.js';
import { git } from '../vcs/index.js';
import { commitInfo, existingAt, firstParents, trackedFiles } from './history.js';
import { earlierOutcomes } from './earlier.js';
import { failingPath, importedPath } from './path.js';
import { probeCommit, type ProbeOptions, type ProbeTarget } from './probe.js';
import { searchFirstBad, short, type Outcome } from './search.js';

export interface FindOptions extends ProbeOptions {
  /** The checkout whose head fails (the loop's worktree): history is read from its HEAD. */
  workDir: string;
  maxRuns: number;
  maxCommits: number;
  /** Tests run by name per probe, at most: one root cause needs few witnesses. */
  maxTests?: number;
  /** Replaces a real probe (tests, the bench's dry runs). */
  probe?: (sha: string, target: ProbeTarget) => Promise<Outcome>;
}

/** The problem's failing tests and unloaded files, as the run that found them has them. */
export function probeTarget(problem: Problem, run: TestRun, maxTests = 5): ProbeTarget {
  const ids = new Set(problem.testIds);
  const tests = run.suites.flatMap((s) => s.tests.filter((t) => ids.has(t.id))).slice(0, maxTests);
  const unloaded = new Set(problem.loadFailedFiles);
  const loadFailed = run.suites.flatMap((s) => s.loadFailures.filter((l) => unloaded.has(l.file)).map((l) => ({ suite: s.suite, file: l.file })));
  return { tests: tests.map(({ id, suite, file, fullName }) => ({ id, suite, file, fullName })), loadFailed };
}

export async function findCulprit(problem: Problem, run: TestRun, opts: FindOptions): Promise<CulpritSearch> {
  const target = probeTarget(problem, run, opts.maxTests);
  if (target.tests.length === 0 && target.loadFailed.length === 0) return { problemId: problem.id, reason: 'the problem has no failing test to run', runs: 0, probes: [] };
  const head = (await firstParents(opts.workDir, 'HEAD', 0))[0];
  const commits = await firstParents(opts.workDir, head, opts.maxCommits);
  const known = await earlierOutcomes(opts.repoRoot, commits, target);
  const probe = opts.probe ?? ((sha: string, t: ProbeTarget) => probeCommit(sha, t, opts));
  const named = [...new Set([...target.tests.map((t) => t.file), ...target.loadFailed.map((l) => l.file)])];
  // A commit without the tests' files needs no run: they were written later. Only files git has
  // count: a bundle the pretest builds (dist/) is in no commit, and was not "added" by any.
  const files = [...(await existingAt(opts.repoRoot, head, named))];
  const free = async (sha: string): Promise<Outcome | undefined> => (files.length > 0 && (await existingAt(opts.repoRoot, sha, files)).size === 0 ? 'absent' : undefined);
  const found = await searchFirstBad({ commits, known, maxRuns: opts.maxRuns, probe: (sha) => probe(sha, target), free });
  const base = { problemId: problem.id, runs: found.runs, probes: found.probes };
  if (found.firstBad === undefined || found.lastGood === undefined) return { ...base, reason: found.reason };
  const sha = commits[found.firstBad];
  if (found.lastGoodOutcome === 'absent') {
    return { ...base, reason: `the tests have failed since they were added, in ${short(sha)}: no commit broke them` };
  }
  return { ...base, culprit: await describeCulprit(opts.workDir, sha, commits[found.lastGood], problem) };
}

async function describeCulprit(dir: string, sha: string, lastGood: string, problem: Problem): Promise<Culprit> {
  const info = await commitInfo(dir, sha);
  const tracked = await trackedFiles(dir, 'HEAD');
  const named = failingPath(problem, tracked);
  const changed = new Set(info.files);
  // Files the failures name first, then what they import.
  const onPath = importedPath(dir, named, tracked).filter((f) => changed.has(f));
  const diff = await diffOf(dir, lastGood, info.sha, onPath);
  return { sha: info.sha, subject: info.subject, author: info.author, date: info.date, lastGood, merge: info.parents.length > 1, files: info.files, onPath, ...(diff ? { diff } : {}) };
}

const MAX_DIFF = 6000;

async function diffOf(dir: string, from: string, to: string, files: string[]): Promise<string | undefined> {
  const text = await git(dir).raw(['diff', '--no-color', from, to, '--', ...files]);
  if (!text.trim()) return undefined;
  return text.length > MAX_DIFF ? `${text.slice(0, MAX_DIFF)}\n… (${text.length - MAX_DIFF} more characters: git show ${to.slice(0, 8)})` : text;
}
