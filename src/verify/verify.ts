import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Candidate, Isolation, Problem, TestCase, TestRun, Verdict } from '../model.js';
import { applyPatch, patchFiles } from '../patch/index.js';
import type { SuiteConfig } from '../policy/index.js';
import { runSuites } from '../runners/index.js';
import { pytestPython } from '../runners/python-paths.js';
import { withSandbox, type SandboxSpec } from '../sandbox/bwrap.js';
import { stillFailing, sumTotals } from '../test-run.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { addWorktree, describeDependencies, removeWorktree } from '../vcs/index.js';
import { findFlaky } from './flaky.js';
import { compareRuns } from './compare.js';
import { worseThanHistory, type SuiteFiles, type TestHistory } from './history.js';

export interface VerifyInput {
  /** The user's repository: worktrees are made from it. */
  repoRoot: string;
  /** The commit the candidate was made against (the loop branch's head). */
  ref: string;
  suites: SuiteConfig[];
  baseline: TestRun;
  problem: Problem;
  candidate: Candidate;
  adapters?: Record<string, TestRunnerAdapter>;
  logDir?: string;
  signal?: AbortSignal;
  /** Tests known to be flaky: failing under the candidate does not make it "regressed". */
  flaky?: Set<string>;
  /**
   * Times a test the candidate seems to break is run again (by name) before that counts: one that
   * passes is flaky, not broken (the policy's `flaky.reruns`; 0 or absent: never).
   */
  flakyReruns?: number;
  /** The sandbox the candidate's code runs in (see isolationFor); none when absent. */
  isolation?: Isolation;
  /** Runs at earlier commits, for the tests the candidate lets run again (see history.ts). */
  history?: TestHistory;
}

/** A suite faster than this runs whole even when targeted: its start-up costs more than the tests a filter would skip. */
export const TARGETED_MIN_MS = 10_000;

export interface TargetedSuite {
  suite: SuiteConfig;
  files: string[];
  /** The problem's failing tests in those files, when the suite can run just them: none of its files failed to load. */
  tests?: TestCase[];
  whole: boolean;
}

/**
 * Which tests of the problem each suite ran in the baseline: the targeted re-run. `whole` marks
 * a suite run unfiltered (every baseline file is targeted, the whole suite is fast, it ran no
 * test at all, or the filter would keep more than half of its tests): its
 * targeted run is its full run. A file that failed to load is re-run whole, since none of its
 * tests has a name yet; otherwise only the failing tests are chosen, by name.
 */
export function targetedSuites(problem: Problem, baseline: TestRun, suites: SuiteConfig[]): TargetedSuite[] {
  const wanted = new Set(problem.testFiles);
  const ids = new Set(problem.testIds);
  const unloaded = new Set(problem.loadFailedFiles);
  const out: TargetedSuite[] = [];
  for (const suite of suites) {
    const run = baseline.suites.find((s) => s.suite === suite.name);
    if (!run) continue;
    const all = new Set([...run.tests.map((t) => t.file), ...run.loadFailures.map((lf) => lf.file)]);
    const files = [...all].filter((f) => wanted.has(f)).sort();
    if (files.length === 0) continue;
    // No test ran at all (a compile step stopped the command, its errors filed under source files):
    // there is nothing to narrow to, and a source file given as a test path would not run.
    const tests = run.tests.filter((t) => ids.has(t.id));
    const byName = tests.length > 0 && files.every((f) => !unloaded.has(f) && tests.some((t) => t.file === f));
    const chosen = byName ? tests.length : run.tests.filter((t) => files.includes(t.file)).length;
    // A filter that keeps most of the suite saves less than the second runner start it costs a
    // good candidate (a misspelled name in a module every test imports fails nearly all of them).
    const most = chosen * 2 > run.tests.length;
    const whole = files.length === all.size || run.durationMs < TARGETED_MIN_MS || run.tests.length === 0 || most;
    out.push({ suite, files, whole, ...(byName && !whole ? { tests } : {}) });
  }
  return out;
}

/**
 * Applies the candidate in a fresh worktree of `ref`, runs the problem's tests, and only when
 * they improved, the rest of the suites; the worktree is removed whatever happens.
 */
export async function verifyCandidate(input: VerifyInput): Promise<Verdict> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-verify-')), 'tree');
  const dependencies = describeDependencies(await addWorktree(input.repoRoot, dir, input.ref, { python: pytestPython(input.suites, input.repoRoot) }));
  const isolation = input.isolation ?? { kind: 'none', why: 'no sandbox was asked for' };
  try {
    applyPatch(dir, input.candidate.patch);
    const verdict = await againstHistory(input, await withSandbox(sandboxFor(isolation, dir), () => judge(input, dir)));
    const cutShort = cutShortBy(input.baseline, verdict);
    return withDeniedWrites({ ...verdict, dependencies, isolation, ...(cutShort ? { cutShort } : {}) });
  } finally {
    await removeWorktree(input.repoRoot, dir);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

/**
 * A "fixed" verdict whose newly loaded files hold tests that fail where they passed at the last
 * commit where they ran is "partial": the file parses again, the code is not what it was.
 */
async function againstHistory(input: VerifyInput, verdict: Verdict): Promise<Verdict> {
  if (!input.history || !verdict.run || verdict.kind !== 'fixed') return verdict;
  const unmasked = unmaskedFiles(input.baseline, verdict.run);
  if (!unmasked.length) return verdict;
  const failingNow = verdict.run.suites.some((s) => unmasked.some((u) => u.suite === s.suite && s.tests.some((t) => t.status === 'failed' && u.files.includes(t.file))));
  if (!failingNow) return verdict;
  const last = await input.history.lastRun(input.ref, patchFiles(input.candidate.patch), unmasked);
  if (!last) return verdict;
  const failing = worseThanHistory(verdict.run, last.run, unmasked).filter((id) => !input.flaky?.has(id));
  if (!failing.length) return verdict;
  const shown = failing.slice(0, 3).join(', ') + (failing.length > 3 ? ', …' : '');
  const summary = `${verdict.summary.replace(/^fixed:/, 'partial:')}; ${failing.length} test${failing.length === 1 ? '' : 's'} it lets run again fail${failing.length === 1 ? 's' : ''} that passed at ${last.sha.slice(0, 12)}: ${shown}`;
  return { ...verdict, kind: 'partial', history: { sha: last.sha, failing }, summary };
}

/** Files that failed to load in the baseline and load in `run`, by suite. */
function unmaskedFiles(baseline: TestRun, run: TestRun): SuiteFiles[] {
  const out: SuiteFiles[] = [];
  for (const before of baseline.suites) {
    const now = run.suites.find((s) => s.suite === before.suite);
    if (!now) continue;
    const files = before.loadFailures.map((lf) => lf.file).filter((f) => !now.loadFailures.some((lf) => lf.file === f) && now.tests.some((t) => t.file === f));
    if (files.length) out.push({ suite: before.suite, files: [...new Set(files)].sort() });
  }
  return out;
}

/**
 * A verification a suite did not finish (timed out, or killed by a signal, where the baseline's
 * run of that suite was not): on a loaded machine that says more about the machine than about the
 * candidate, so it is not held against the candidate for good. The first such suite, as said.
 */
export function cutShortBy(baseline: TestRun, verdict: Verdict): string | undefined {
  if (verdict.kind === 'fixed' || verdict.kind === 'partial') return undefined;
  for (const run of [verdict.targeted, verdict.run]) {
    for (const suite of run?.suites ?? []) {
      const blocker = suite.blocker;
      if (!blocker || (blocker.reason !== 'timeout' && blocker.reason !== 'crash')) continue;
      if (baseline.suites.find((b) => b.suite === suite.suite)?.blocker?.reason === blocker.reason) continue;
      return blocker.message.split('\n')[0];
    }
  }
  return undefined;
}

/** The worktree and a temp directory beside it are all a sandboxed run may write. */
function sandboxFor(isolation: Isolation, dir: string): SandboxSpec | undefined {
  if (isolation.kind !== 'bwrap') return undefined;
  const tmpDir = path.join(path.dirname(dir), 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  return { writable: [dir], tmpDir, network: isolation.network };
}

/** A candidate whose code tried to write outside its worktree is rejected, whatever its tests say. */
function withDeniedWrites(verdict: Verdict): Verdict {
  const denied = [...new Set([verdict.targeted, verdict.run].flatMap((run) => run?.suites.flatMap((s) => s.deniedWrites ?? []) ?? []))];
  if (denied.length === 0) return verdict;
  const shown = denied.slice(0, 3).join(', ') + (denied.length > 3 ? ` and ${denied.length - 3} more` : '');
  return { ...verdict, kind: 'broken', summary: `broken: the candidate's code tried to write outside its worktree (${shown}); the sandbox refused` };
}

/** The targeted run, then (when it improved) the full run, compared with the baseline. */
async function judge(input: VerifyInput, dir: string): Promise<Verdict> {
  const common = { cwd: dir, adapters: input.adapters, logDir: input.logDir, signal: input.signal };
  const complete = new Map<string, TestRun>();
  const targets = targetedSuites(input.problem, input.baseline, input.suites);
  if (targets.length) {
    const runs: TestRun[] = [];
    for (const t of targets) {
      // A suite whose every file is targeted runs unfiltered, so its run counts as the full one.
      const run = await runSuites([t.suite], t.whole ? common : t.tests ? { ...common, tests: t.tests } : { ...common, files: t.files });
      runs.push(run);
      if (t.whole) complete.set(t.suite.name, run);
      // The full run follows once any suite shows a change: the other targeted runs would not decide anything.
      if (changedIn(input, t.suite.name, run)) break;
    }
    const targeted = mergeRuns(runs);
    const blocked = targeted.suites.some((s) => s.blocker);
    const remaining = stillFailing(input.problem, input.baseline, targeted);
    const before = stillFailing(input.problem, input.baseline, input.baseline);
    // Nothing the problem's own tests can see has changed: the full run would only confirm it.
    if (!blocked && remaining.length > 0 && remaining.length === before.length) {
      return { kind: 'no-effect', targeted, fixed: [], broke: [], stillFailing: remaining, summary: "no-effect: the problem's tests still fail" };
    }
  }
  const runs: TestRun[] = [];
  for (const suite of input.suites) runs.push(complete.get(suite.name) ?? (await runSuites([suite], common)));
  const full = mergeRuns(runs);
  const verdict = compareRuns(input.problem, input.baseline, full, input.flaky);
  if (!input.flakyReruns || verdict.broke.length === 0) return verdict;
  // A test that failed here by chance must not cost a good fix: run what broke again, as the
  // baseline's failures were, and judge the candidate without the ones that pass.
  const broke = new Set(verdict.broke);
  const suspects = full.suites.map((s) => ({ ...s, tests: s.tests.filter((t) => broke.has(t.id) && t.status === 'failed') }));
  const flaky = await findFlaky({ ...full, suites: suspects }, { ...common, suites: input.suites, reruns: input.flakyReruns, judged: new Set() });
  if (flaky.length === 0) return verdict;
  const known = new Set([...(input.flaky ?? []), ...flaky.map((f) => f.id)]);
  return { ...compareRuns(input.problem, input.baseline, full, known), flaky };
}

/** Whether one suite's targeted run shows the problem's tests there other than in the baseline: blocked, or fewer failing. */
function changedIn(input: VerifyInput, suite: string, run: TestRun): boolean {
  if (run.suites.some((s) => s.blocker)) return true;
  const only = (r: TestRun): TestRun => ({ ...r, suites: r.suites.filter((s) => s.suite === suite) });
  const before = stillFailing(input.problem, input.baseline, only(input.baseline)).length;
  return before > 0 && stillFailing(input.problem, input.baseline, only(run)).length < before;
}

export function mergeRuns(runs: TestRun[]): TestRun {
  const suites = runs.flatMap((r) => r.suites);
  const totals = sumTotals(suites);
  return {
    startedAt: runs[0]?.startedAt ?? new Date().toISOString(),
    durationMs: runs.reduce((n, r) => n + r.durationMs, 0),
    suites,
    totals,
  };
}
