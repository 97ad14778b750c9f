// What still fails, by test id and title: for run:end and problem:found (a script reading
// `--json` learns which tests, not only how many), the summaries and `fixloop report`.
import type { BlockedSuite, FailingTest, LoadFailure, Problem, TestRun } from '../model.js';
import { blockedSuites, failingTests, loadFailures, loadId, shownName } from '../test-run.js';

/** Enough to act on; the iteration's JSON report lists every one. */
export const FAILING_LIMIT = 500;

/** How a file that failed as a whole is named: by its hook when one threw. */
export function fileFailureTitle(l: Pick<LoadFailure, 'file' | 'hook'>): string {
  return `${l.file} (${l.hook ? `${l.hook} failed` : 'failed to load'})`;
}

/** The failing tests and files of a run, each with the problem that explains it when there is one. */
export function failingOf(run: TestRun, problems: Problem[] = [], limit = FAILING_LIMIT): FailingTest[] {
  const byId = new Map<string, string>();
  for (const p of problems) {
    for (const id of p.testIds) byId.set(id, p.id);
  }
  const out: FailingTest[] = [];
  for (const l of loadFailures(run)) {
    const id = loadId(l.suite, l.file);
    const problem = problems.find((p) => p.loadFailedFiles.includes(l.file) && p.testFiles.includes(l.file));
    out.push({ id, suite: l.suite, file: l.file, title: fileFailureTitle(l), message: l.failure.message, ...(problem ? { problemId: problem.id } : {}) });
  }
  for (const t of failingTests(run)) {
    const problemId = byId.get(t.id);
    out.push({ id: t.id, suite: t.suite, file: t.file, title: shownName(t), message: t.failure?.message ?? 'no message recorded', ...(problemId ? { problemId } : {}) });
  }
  return out.slice(0, limit);
}

/** The failing tests and files one problem explains, as problem:found names them. */
export function problemFailing(problem: Problem, run: TestRun, limit = FAILING_LIMIT): FailingTest[] {
  const ids = new Set(problem.testIds);
  const files = new Set(problem.loadFailedFiles);
  return failingOf(run, [problem], Number.POSITIVE_INFINITY)
    .filter((f) => ids.has(f.id) || (f.id.endsWith('::<load>') && files.has(f.file)))
    .slice(0, limit)
    .map(({ problemId: _, ...f }) => f);
}

export function blockedOf(run: TestRun): BlockedSuite[] {
  return blockedSuites(run).map((s) => ({ suite: s.suite, reason: s.blocker.reason, message: s.blocker.message, ...(s.logFile ? { logFile: s.logFile } : {}) }));
}
