// One probe of a culprit search: the problem's failing tests, run by name at an older commit in a
// temporary worktree (dependencies provided as for a verification), read as one outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestCase, TestRun } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { runSuites } from '../runners/index.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { addWorktree, removeWorktree } from '../vcs/index.js';
import { existingAt } from './history.js';
import type { Outcome } from './search.js';

/** What a probe runs: failing tests by name, and files that failed to load, whole. */
export interface ProbeTarget {
  tests: Pick<TestCase, 'id' | 'suite' | 'file' | 'fullName'>[];
  /** Files that failed to load, by suite: run whole (their tests have no names yet). */
  loadFailed: { suite: string; file: string }[];
}

export interface ProbeOptions {
  /** The user's repository: worktrees are made from it. */
  repoRoot: string;
  suites: SuiteConfig[];
  adapters?: Record<string, TestRunnerAdapter>;
  /** Each probe's output goes under it, in a folder named by the commit. */
  logDir?: string;
  signal?: AbortSignal;
}

/**
 * fail: one of the tests fails (or a file fails to load); pass: those that exist pass; absent:
 * none of them exists at that commit (they were written later); unknown: a suite could not run.
 */
export async function probeCommit(sha: string, target: ProbeTarget, opts: ProbeOptions): Promise<Outcome> {
  const files = [...new Set([...target.tests.map((t) => t.file), ...target.loadFailed.map((l) => l.file)])];
  const present = await existingAt(opts.repoRoot, sha, files);
  // Their files did not exist yet: nothing to run.
  if (present.size === 0) return 'absent';
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-verify-')), 'tree');
  try {
    await addWorktree(opts.repoRoot, dir, sha);
    const common = { cwd: dir, adapters: opts.adapters, signal: opts.signal, logDir: opts.logDir && path.join(opts.logDir, sha.slice(0, 12)) };
    const runs: TestRun[] = [];
    for (const suite of opts.suites) {
      const tests = target.tests.filter((t) => t.suite === suite.name && present.has(t.file));
      const whole = target.loadFailed.filter((l) => l.suite === suite.name && present.has(l.file)).map((l) => l.file);
      // A file that failed to load has no test names: the suite runs it, and the named tests' files, whole.
      if (whole.length) runs.push(await runSuites([suite], { ...common, files: [...new Set([...whole, ...tests.map((t) => t.file)])] }));
      else if (tests.length) runs.push(await runSuites([suite], { ...common, tests }));
    }
    return outcomeOf(target, present, runs);
  } finally {
    await removeWorktree(opts.repoRoot, dir);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

export function outcomeOf(target: ProbeTarget, present: Set<string>, runs: TestRun[]): Outcome {
  const suites = runs.flatMap((r) => r.suites);
  if (suites.some((s) => s.blocker)) return 'unknown';
  const unloaded = new Set(suites.flatMap((s) => s.loadFailures.map((l) => `${s.suite}\u0000${l.file}`)));
  const wantedFiles = [...target.tests, ...target.loadFailed].filter((t) => present.has(t.file));
  if (wantedFiles.some((t) => unloaded.has(`${t.suite}\u0000${t.file}`))) return 'fail';
  const byId = new Map(suites.flatMap((s) => s.tests.map((t) => [t.id, t.status] as const)));
  const statuses = target.tests.map((t) => byId.get(t.id));
  if (statuses.includes('failed')) return 'fail';
  // A file that failed to load then counts as passing when every test it has now passes.
  const files = new Set(target.loadFailed.filter((l) => present.has(l.file)).map((l) => l.file));
  const fileTests = suites.flatMap((s) => s.tests.filter((t) => files.has(t.file)));
  if (fileTests.some((t) => t.status === 'failed')) return 'fail';
  if (statuses.includes('passed') || fileTests.some((t) => t.status === 'passed')) return 'pass';
  return 'absent';
}
