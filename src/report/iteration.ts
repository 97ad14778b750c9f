// The iteration report a person reads. Every number is taken from the record; the report's
// only judgement is the honesty rule of isGreen(): nothing is called green or 100% otherwise.
import type { Attempt, DeployResult, FlakyTest, IterationRecord, LoadFailure, Problem, SuiteRun, TestRun } from '../model.js';
import {
  blockedSuites, failingTests, formatTotals, isGreen, isLoadId, loadFailures, missingTests, newlyPassing, shownId, skippedTests, stillFailing, shownName,
} from '../test-run.js';
import { attemptFor, missingDependencies, missingImpact, problemFor, suiteStatus, unexplained, type ReportOptions } from './facts.js';
import { describeMissing, whatIsMissing } from '../runners/missing.js';
import { safeMarkdown } from '../safe-text.js';
import { culpritRows, culpritsMarkdown } from './culprits.js';
import { categorySection, goalSection } from './progress.js';
import { openProblems, openProblemsMarkdown } from './open.js';
import { cell, clip, code, codeList, duration, excerpt, fence, plural, shortSha, subject, table } from './markdown.js';

export { iterationJson } from './iteration-json.js';
export type { ReportOptions } from './facts.js';

const DIFF_LINES = 40;
const LIST_ROWS = 200;

export function renderIterationMarkdown(rec: IterationRecord, opts: ReportOptions = {}): string {
  const sections = [
    `# Iteration ${rec.iteration} — ${rec.runId}`,
    `Started ${rec.startedAt} · ended ${rec.endedAt} · base ${code(shortSha(rec.baseSha))}`,
    `## Executive summary\n\n${executiveSummary(rec, opts)}`,
    `## Test execution\n\n${testExecution(rec, opts)}`,
    `## Fixes\n\n${fixes(rec)}`,
    `## Attempts that did not land\n\n${unlanded(rec)}`,
    ...(rec.deploy ? [`## Deployment status\n\n${deploySection(rec.deploy)}`] : []),
    `## Still failing\n\n${stillFailingSection(rec)}`,
    `## Open problems\n\n${openProblemsMarkdown(rec)}`,
    ...(rec.culprits?.length ? [`## Culprits\n\n${culpritsMarkdown(culpritRows([rec]))}`] : []),
    `## Coverage by category\n\n${categorySection(rec)}`,
    `## Progress toward goal\n\n${goalSection(rec)}`,
    `## Technical challenges\n\n${challenges(rec.after, rec.flaky ?? [])}`,
    `## Next steps\n\n${nextSteps(rec, opts)}`,
  ];
  return safeMarkdown(`${sections.join('\n\n')}\n`);
}

function executiveSummary(rec: IterationRecord, opts: ReportOptions): string {
  const a = rec.after.totals;
  const fixedNow = newlyPassing(rec.before, rec.after).length;
  const first = `After iteration ${rec.iteration}, the suites report ${plural(a.tests, 'test')}: ${formatTotals(a, { every: true })}.`;
  const second =
    `This iteration committed ${plural(rec.commits.length, 'fix', 'fixes')} and ${plural(fixedNow, 'test')} ` +
    `went from failing or not run to passing (at its start: ${formatTotals(rec.before.totals, { every: true })}).`;
  if (isGreen(rec.after, opts)) {
    const skipped = a.skipped > 0 ? `, ${a.skipped} skipped` : '';
    return `${first} ${second} Nothing is failing and no suite is blocked: all ${a.passed} executed tests passed (100%)${skipped}.`;
  }
  const blocked = blockedSuites(rec.after);
  const blockedText = blocked.length === 0 ? 'none' : `${blocked.length} (${blocked.map((s) => `${s.suite}: ${s.blocker.reason}`).join(', ')})`;
  const extra = [
    a.passed + a.failed === 0 ? 'no test was executed' : '',
    missingTests(rec.after, opts) > 0 ? `${missingTests(rec.after, opts)} of ${opts.expectedTests} expected tests did not report` : '',
  ].filter(Boolean);
  const third =
    `Still failing: ${plural(a.failed, 'test')} and ${plural(a.loadErrors, 'test file')} that failed to load; ` +
    `blocked suites: ${blockedText}${extra.map((e) => `; ${e}`).join('')}.`;
  return `${first} ${second} ${third}`;
}

function suiteCounts(s: SuiteRun | undefined): string {
  if (!s) return 'not in run';
  return s.blocker ? `blocked: ${s.blocker.reason}` : formatTotals(s.totals, { every: true });
}

function testExecution(rec: IterationRecord, opts: ReportOptions): string {
  const before = new Map(rec.before.suites.map((s) => [s.suite, s]));
  const rows = rec.after.suites.map((s) => {
    const t = s.totals;
    const n = (v: number) => (s.blocker ? 'not run' : String(v));
    return [cell(s.suite), code(s.command), suiteStatus(s), n(t.passed), n(t.failed), n(t.skipped), n(t.loadErrors), duration(s.durationMs), suiteCounts(before.get(s.suite))];
  });
  for (const s of rec.before.suites) {
    if (!rec.after.suites.some((x) => x.suite === s.suite)) {
      rows.push([cell(s.suite), code(s.command), 'not in final run', '—', '—', '—', '—', '—', suiteCounts(s)]);
    }
  }
  const a = rec.after.totals;
  rows.push(['**Total**', '', '', String(a.passed), String(a.failed), String(a.skipped), String(a.loadErrors), duration(rec.after.durationMs), formatTotals(rec.before.totals, { every: true })]);
  const parts = [table(['Suite', 'Command', 'Status', 'Passed', 'Failed', 'Skipped', 'Load errors', 'Duration', 'Before'], rows)];
  if (rec.dependencies) parts.push(`Dependencies outside git, as the checkout has them: ${rec.dependencies}.`);
  const isolation = isolationLine(rec);
  if (isolation) parts.push(isolation);
  const missing = missingTests(rec.after, opts);
  if (missing > 0) parts.push(`**Warning:** ${opts.expectedTests} tests were expected but ${a.tests} reported: ${missing} did not run.`);
  const skipped = skippedTests(rec.after);
  if (skipped.length > 0) {
    const shown = skipped.slice(0, LIST_ROWS).map((t) => `- ${code(t.id)} (${t.status})`);
    if (skipped.length > LIST_ROWS) shown.push(`- … ${skipped.length - LIST_ROWS} more, listed in iteration-${rec.iteration}.json`);
    parts.push(`Skipped, not executed (${skipped.length}):\n\n${shown.join('\n')}`);
  }
  return parts.join('\n\n');
}

function location(p: { location?: { file: string; line: number } }): string {
  return p.location ? `${p.location.file}:${p.location.line}` : 'unknown location';
}

function affected(p: Problem): string {
  const tests = p.testIds.length ? `: ${codeList(p.testIds)}` : '';
  const files = p.loadFailedFiles.length ? `: ${codeList(p.loadFailedFiles)}` : '';
  const hook = /^(beforeAll|afterAll|beforeEach|afterEach) failed in /.exec(p.title)?.[1];
  return `${plural(p.testIds.length, 'failing test')}${tests}; ${plural(p.loadFailedFiles.length, 'test file')} ${hook ? `whose ${hook} failed` : 'failed to load'}${files}`;
}

/** A file that failed as a whole: its hook, or its load. */
function fileState(l: LoadFailure): string {
  return l.hook ? `${l.hook} failed` : 'failed to load';
}

function fixes(rec: IterationRecord): string {
  if (rec.commits.length === 0) return 'No fix was committed in this iteration.';
  return rec.commits
    .map((c, i) => {
      const p = problemFor(rec, c.problemId);
      const at = attemptFor(rec, c);
      const v = at?.verdict;
      const lines = [
        `### ${i + 1}. ${subject(c.message)}`,
        '',
        p ? `- **Problem:** ${p.title} (kind ${code(p.kind)})` : `- **Problem:** ${code(c.problemId)} (not in this iteration's problems)`,
        ...(p ? [`- **Tests affected:** ${affected(p)}`, `- **Error:** ${code(clip(p.message, 300))}`] : []),
        `- **Root cause:** ${at?.rootCause ?? 'not recorded'}`,
        `- **What changed:** ${codeList(c.files)}${at ? ` — ${at.title}` : ''}`,
        v
          ? `- **Impact:** ${impact(v.fixed)}, ${v.broke.length} broke (verdict ${code(v.kind)})`
          : '- **Impact:** no verdict recorded',
        `- **Provider:** ${code(c.provider)}`,
        `- **Commit:** ${code(shortSha(c.sha))} ${subject(c.message)}`,
      ];
      if (at?.diff) {
        const d = excerpt(at.diff, DIFF_LINES);
        lines.push('', fence(d.text, 'diff'));
        if (d.omitted > 0) lines.push('', `… ${d.omitted} more diff lines in iteration-${rec.iteration}.json`);
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

function attemptLine(a: Attempt): string {
  const head = `- ${code(a.provider)} ${a.title} — **${a.outcome}**${a.reason ? `: ${a.reason}` : ''}`;
  const v = a.verdict;
  if (!v) return head;
  const broke = v.broke.length ? `: ${codeList(v.broke)}` : '';
  return `${head}\n  - verdict ${code(v.kind)}: ${v.summary} (now passing ${v.fixed.length}, broke ${v.broke.length}${broke}, still failing ${v.stillFailing.length})`;
}

function unlanded(rec: IterationRecord): string {
  const rest = rec.attempts.filter((a) => a.outcome !== 'committed');
  if (rest.length === 0) return rec.attempts.length === 0 ? 'No fix was attempted.' : 'None: every attempt was committed.';
  const byProblem = new Map<string, Attempt[]>();
  for (const a of rest) byProblem.set(a.problemId, [...(byProblem.get(a.problemId) ?? []), a]);
  return [...byProblem]
    .map(([id, attempts]) => `### ${problemFor(rec, id)?.title ?? id}\n\n${attempts.map(attemptLine).join('\n')}`)
    .join('\n\n');
}

function stillFailingSection(rec: IterationRecord): string {
  const rows = [
    ...loadFailures(rec.after).map((l) => [cell(l.suite), `${code(l.file)} (${fileState(l)})`, location(l.failure), cell(l.failure.message)]),
    ...failingTests(rec.after).map((t) => [cell(t.suite), code(`${t.file} > ${shownName(t)}`), location(t.failure ?? t), cell(t.failure?.message ?? 'no message recorded')]),
  ];
  const blocked = blockedSuites(rec.after).map((s) => `Not run: suite ${code(s.suite)} is blocked (${s.blocker.reason}); its tests are not counted.`);
  if (rows.length === 0) {
    return [blocked.length ? 'No executed test failed and every test file loaded.' : 'Nothing: every executed test passed and every test file loaded.', ...blocked].join('\n\n');
  }
  const parts = [table(['Suite', 'Test', 'Where', 'Message'], rows.slice(0, LIST_ROWS))];
  if (rows.length > LIST_ROWS) parts.push(`${rows.length - LIST_ROWS} more omitted; every one is listed in iteration-${rec.iteration}.json.`);
  return [...parts, ...blocked].join('\n\n');
}

function challenges(after: TestRun, flaky: FlakyTest[]): string {
  const blocked = blockedSuites(after);
  const parts: string[] = [];
  if (flaky.length) {
    parts.push(
      [
        '### Flaky tests (not repaired)',
        '',
        table(['Test', 'Outcomes (first run, then re-runs)'], flaky.map((f) => [code(f.id), f.history.join(' → ')])),
      ].join('\n'),
    );
  }
  for (const s of blocked) {
    parts.push(
      [
        `### ${s.suite}: ${s.blocker.reason}`,
        '',
        `- **Command:** ${code(s.command)}`,
        `- **Reason:** ${s.blocker.reason} — ${s.blocker.message}`,
        `- **Exit code:** ${s.exitCode ?? 'none'}${s.timedOut ? ' (timed out)' : ''}${s.logFile ? ` · full output: ${code(s.logFile)}` : ''}`,
        '',
        s.blocker.outputTail.trim() ? fence(s.blocker.outputTail) : '_The command produced no output._',
      ].join('\n'),
    );
  }
  for (const { suite, missing } of missingDependencies(after)) {
    parts.push(
      [
        `### ${suite.suite}: ${whatIsMissing(missing)}`,
        '',
        `- **Error:** ${code(missing.message)}`,
        `- **Blocks:** ${missingImpact(missing)} — not handed to a repair provider: no change to the code installs it`,
        `- **To unblock:** ${missing.install}`,
      ].join('\n'),
    );
  }
  return parts.length ? parts.join('\n\n') : 'None: every suite ran and no test was flaky.';
}

const UNBLOCK: Record<string, (s: SuiteRun) => string> = {
  'command-not-found': (s) => `install the missing tool or correct the command ${code(s.command)} in loop.policy.json`,
  timeout: () => 'find the hanging test in the output tail, or raise the suite\'s timeoutSec in loop.policy.json',
  'no-report': (s) => `make ${code(s.command)} write the runner's report that the suite's format expects`,
  crash: (s) => `run ${code(s.command)} by hand and read the crash in the output tail`,
  environment: () => 'provide what the suite needs (service, variable, network) and re-run',
};

function deployStep(rec: IterationRecord): string[] {
  const bad = rec.deploy?.find((d) => d.status !== 'ok');
  if (!bad) return [];
  return bad.status === 'blocked'
    ? [`Deploy step ${code(bad.name)} was blocked by the environment, not the code: make the machine ready (see its output under Deployment status) and run ${code(bad.command)} again.`]
    : [`Deploy step ${code(bad.name)} failed (exit ${bad.exitCode ?? 'none'}): read its output under Deployment status; the tests do not cover what broke it.`];
}

function deploySection(steps: DeployResult[]): string {
  return steps
    .map((d) =>
      [
        `### ${d.name}: ${d.status === 'ok' ? 'succeeded' : d.status === 'blocked' ? 'blocked by the environment' : 'failed'}`,
        '',
        `- **Command:** ${code(d.command)}`,
        `- **Exit code:** ${d.exitCode ?? 'none'}${d.timedOut ? ' (timed out)' : ''} · ${duration(d.durationMs)}`,
        ...(d.status === 'ok' || !d.outputTail.trim() ? [] : ['', fence(d.outputTail)]),
      ].join('\n'),
    )
    .join('\n\n');
}

function nextSteps(rec: IterationRecord, opts: ReportOptions): string {
  const skipped = rec.after.totals.skipped;
  if (isGreen(rec.after, opts)) {
    const more = [...(skipped > 0 ? [`${plural(skipped, 'test')} skipped and never executed: review them (listed under Test execution).`] : []), ...deployStep(rec)];
    return more.length ? `All suites are green.\n\n${more.map((m) => `- ${m}`).join('\n')}` : 'All suites are green.';
  }
  const steps = [...deployStep(rec), ...blockedSuites(rec.after).map((s) => `Unblock suite ${code(s.suite)} (${s.blocker.reason}: ${s.blocker.message}): ${UNBLOCK[s.blocker.reason](s)}.`)];
  for (const { suite, missing } of missingDependencies(rec.after)) steps.push(`${missing.workspace ? `Build workspace package ${missing.name}` : `Install ${describeMissing(missing)}`} for suite ${code(suite.suite)} (${missingImpact(missing)}): ${missing.install}.`);
  for (const o of openProblems(rec)) {
    const broke = codeList(o.attempts.flatMap((a) => a.verdict?.broke ?? []), 5);
    steps.push(`Problem "${o.problem.title}" (${code(o.problem.kind)}) still fails for ${codeList(o.left, 5)}: ${o.nextStep}${broke ? ` Do not break ${broke}, as the rejected candidates did.` : ''}`);
  }
  const { tests, files } = unexplained(rec);
  for (const l of files) steps.push(`Triage ${code(l.file)} (${l.suite}), whose ${l.hook ? `${l.hook} hook fails` : 'load fails'}: ${cell(l.failure.message, 160)} — the next iteration will group it into a problem.`);
  for (const t of tests.slice(0, 20)) steps.push(`Triage ${code(t.id)}: ${cell(t.failure?.message ?? 'no message recorded', 160)} — not explained by any problem of this iteration.`);
  if (tests.length > 20) steps.push(`${tests.length - 20} more untriaged failing tests are listed under Still failing.`);
  const missing = missingTests(rec.after, opts);
  if (missing > 0) steps.push(`Find the ${missing} expected tests that did not report (expected ${opts.expectedTests}, reported ${rec.after.totals.tests}).`);
  if (rec.after.totals.passed + rec.after.totals.failed === 0 && blockedSuites(rec.after).length === 0) {
    steps.push('No test was executed: check that the suites\' commands select any tests.');
  }
  if (skipped > 0) steps.push(`${plural(skipped, 'test')} skipped and never executed: review them (listed under Test execution).`);
  if (steps.length === 0) steps.push('Re-run the suites: the record shows failures that no problem or test explains.');
  return steps.map((s) => `- ${s}`).join('\n');
}

/** Verdicts list files that load again as `suite::file::<load>` beside test ids; say which is which. */
function impact(fixed: string[]): string {
  const files = fixed.filter(isLoadId).length;
  const tests = fixed.length - files;
  return [`${plural(tests, 'test')} now passing`, files ? `${plural(files, 'test file')} loading again` : ''].filter(Boolean).join(', ');
}

/** What the candidates' code ran in while it was verified: said for every iteration that verified one. */
function isolationLine(rec: IterationRecord): string | undefined {
  const seen = new Map<string, number>();
  for (const a of rec.attempts) {
    const i = a.verdict?.isolation;
    if (!i) continue;
    const text = i.kind === 'bwrap' ? `a bubblewrap sandbox (${i.network ? 'with' : 'no'} network, nothing writable but the worktree and a temp directory)` : `no sandbox (${i.why})`;
    seen.set(text, (seen.get(text) ?? 0) + 1);
  }
  if (seen.size === 0) return undefined;
  return `Candidates were verified in ${[...seen].map(([text, n]) => `${text}: ${plural(n, 'candidate')}`).join('; ')}.`;
}
