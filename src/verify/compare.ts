import type { Problem, TestRun, Verdict, VerdictKind } from '../model.js';
import { isLoadId, outcomes, problemIds } from '../test-run.js';

export { loadId, problemIds, stillFailing } from '../test-run.js';


/**
 * Judges a run with a candidate applied against the baseline. "broke" is every test that passed
 * in the baseline and does not pass now (failing, skipped or gone), and every failing test that
 * no longer runs at all; "fixed" every file that loads
 * again and every test that passes now but did not before (failing, or never run because its
 * file did not load). A test that was skipped and now passes is not a fix. A known flaky test
 * failing now is not counted as broken: it fails by chance, not by the candidate.
 */
export function compareRuns(problem: Problem, baseline: TestRun, run: TestRun, flaky: ReadonlySet<string> = new Set()): Verdict {
  const before = outcomes(baseline);
  const after = outcomes(run);
  const loadsAgain = [...before.failing].filter((id) => isLoadId(id) && !after.failing.has(id));
  const nowPass = [...after.passed].filter((id) => !before.passed.has(id) && !before.skipped.has(id));
  const fixed = [...loadsAgain, ...nowPass];
  const ran = (id: string) => after.passed.has(id) || after.failing.has(id) || after.skipped.has(id);
  // The test set may not shrink: a failing test that no longer runs is hidden, not fixed.
  const vanished = [...before.failing].filter((id) => !isLoadId(id) && !ran(id));
  const broke = [...[...before.passed].filter((id) => !after.passed.has(id) && !flaky.has(id)), ...vanished];
  const targets = problemIds(problem, baseline);
  const still = targets.filter((id) => after.failing.has(id) || (!isLoadId(id) && !after.passed.has(id)));
  const newBlockers = run.suites.filter((s) => s.blocker && !baseline.suites.find((b) => b.suite === s.suite)?.blocker);
  let kind: VerdictKind;
  if (newBlockers.length) kind = 'broken';
  else if (broke.length) kind = 'regressed';
  else if (targets.length && still.length === 0) kind = 'fixed';
  else if (still.length < targets.length) kind = 'partial';
  else kind = 'no-effect';
  return { kind, run, fixed, broke, stillFailing: still, summary: summarize(kind, fixed, broke, still, newBlockers.map((s) => s.suite)) };
}

function summarize(kind: VerdictKind, fixed: string[], broke: string[], still: string[], blocked: string[]): string {
  const files = fixed.filter((id) => isLoadId(id)).length;
  const tests = fixed.length - files;
  const parts = [`${kind}:`];
  const gains = [tests ? `${tests} test${tests === 1 ? ' now passes' : 's now pass'}` : '', files ? `${files} file${files === 1 ? ' loads' : 's load'} again` : '']
    .filter(Boolean)
    .join(', ');
  parts.push(gains || 'nothing fixed');
  if (still.length) parts.push(`; ${still.length} of the problem's failures remain`);
  if (broke.length) parts.push(`; broke ${broke.length}: ${broke.slice(0, 3).join(', ')}${broke.length > 3 ? ', …' : ''}`);
  if (blocked.length) parts.push(`; suites no longer run: ${blocked.join(', ')}`);
  return parts.join(' ').replace(' ;', ';');
}
