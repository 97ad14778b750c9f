// One iteration: test the head, set flaky tests aside, group the failures into problems, repair
// each (loop/problem.ts), deploy, report. Its test runs: `before` (the head as the iteration
// found it) and `after` (the head with this iteration's fixes, moved on by each commit).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CodeContext, IterationRecord, Problem, TestRun } from '../model.js';
import { isGreen, reportIteration } from '../report/index.js';
import { groupProblems } from '../triage/index.js';
import { findFlaky } from '../verify/flaky.js';
import { stillFailing } from '../verify/index.js';
import { commitFiles, headSha } from '../vcs/index.js';
import { culpritSearch, culpritsOf } from './culprit.js';
import { runDeploy } from './deploy.js';
import { repairProblem } from './problem.js';
import type { Run } from './run.js';
import { testHead } from './suites.js';
import { problemFailing } from '../report/failing.js';
import { withExcerpts } from '../report/source.js';
import { SOURCE_FILE } from '../paths.js';

export async function runIteration(run: Run, iteration: number): Promise<IterationRecord> {
  const { session, emit } = run;
  emit({ type: 'iteration:start', iteration });
  for (const p of run.repair.providers) await p.iterationStart?.(iteration);
  // After a commit the verification run of the new head is the truth; no need to run again.
  const before = run.last ?? (await testHead(run, iteration));
  run.first ??= before;
  await setFlakyAside(run, iteration, before);
  const problems = triage(run, iteration, before);
  const record: IterationRecord = (run.open = {
    runId: session.runId, iteration, startedAt: new Date().toISOString(), endedAt: '', before, after: before, problems, attempts: [], commits: [],
    baseSha: await headSha(session.workDir), flaky: [...run.flaky.tests], categories: session.policy.categories, expectedTests: session.policy.goal.expectedTests, discovery: run.discovery, dependencies: session.dependencies,
  });

  for (const problem of problems) {
    if (run.signal?.aborted || run.wallSpent()) break;
    if (stillFailing(problem, before, record.after).length === 0) continue; // an earlier fix this iteration solved it
    const history = run.attempts.get(problem.id) ?? [];
    run.attempts.set(problem.id, history);
    const analysis = await analysisFor(problem);
    const fix = await repairProblem(run.repair, problem, record.after, iteration, history, () => safeContext(analysis, session.workDir, problem));
    record.attempts.push(...fix.attempts);
    if (fix.commit && fix.run) {
      record.commits.push(fix.commit);
      run.commits.push(fix.commit);
      record.after = fix.run;
    } else if (!run.signal?.aborted && !run.wallSpent()) {
      // Left unfixed: the report names the commit that broke it.
      await culpritSearch(run, problem, iteration);
    }
  }
  run.last = record.after;
  const culprits = await culpritsOf(run, problems);
  if (culprits.length) record.culprits = culprits;

  await deployStage(run, record);
  await endIteration(run, record);
  return record;
}

/** Failing tests re-run by name: those that pass are flaky, reported, and never handed to a provider. */
async function setFlakyAside(run: Run, iteration: number, before: TestRun): Promise<void> {
  const { workDir, policy, logDir } = run.session;
  const found = await findFlaky(before, { cwd: workDir, suites: policy.suites, reruns: policy.flaky.reruns, judged: run.flaky.judged, adapters: run.adapters, logDir, signal: run.signal });
  run.flaky.addFound(found);
  if (found.length) run.emit({ type: 'flaky:found', iteration, tests: found });
}

/** The failures grouped by root cause, flaky tests left out. */
function triage(run: Run, iteration: number, before: TestRun): Problem[] {
  const problems = (before.suites.every((s) => s.blocker) ? [] : groupProblems(before))
    .map((p) => ({ ...p, testIds: p.testIds.filter((id) => !run.flaky.ids.has(id)) }))
    .filter((p) => p.testIds.length > 0 || p.loadFailedFiles.length > 0)
    .map((p) => withExcerpts(p, run.session.workDir));
  for (const p of problems) {
    run.emit({ type: 'problem:found', iteration, problem: { id: p.id, kind: p.kind, title: p.title, location: p.location, testFiles: p.testFiles, tests: p.testIds.length, failing: problemFailing(p, before) } });
  }
  return problems;
}

async function deployStage(run: Run, record: IterationRecord): Promise<void> {
  const { policy, workDir } = run.session;
  if (!policy.deploy || (policy.deploy.when !== 'always' && !isGreen(record.after, { expectedTests: record.expectedTests }))) return;
  record.deploy = await runDeploy(policy.deploy, workDir, run.signal);
  run.emit({ type: 'deploy:end', iteration: record.iteration, ok: record.deploy.every((d) => d.status === 'ok'), steps: record.deploy });
}

/** The iteration's reports (committed with report.commit) and iteration:end; also for an iteration an error cut short. */
export async function endIteration(run: Run, record: IterationRecord): Promise<void> {
  const { session, emit } = run;
  record.endedAt = new Date().toISOString();
  // Tests a verification found flaky during the iteration belong in its report.
  record.flaky = [...run.flaky.tests];
  const written = await reportIteration(session.reporters, record);
  run.reports.push(...written);
  run.records.push(record);
  if (session.policy.report.commit) {
    await commitReports(run, written, record.iteration).catch((err: Error) => {
      emit({ type: 'commit:failed', iteration: record.iteration, problemId: 'reports', candidateId: `iteration-${record.iteration}`, reason: err.message });
    });
  }
  emit({ type: 'iteration:end', iteration: record.iteration, totals: record.after.totals, commits: record.commits.length, reports: written });
}

/** report.commit: the iteration's reports, copied into the loop's checkout and committed there. */
async function commitReports(run: Run, files: string[], iteration: number): Promise<void> {
  const { root, workDir, runId, policy } = run.session;
  const rel = files.map((f) => path.relative(root, f).split(path.sep).join('/'));
  for (const [i, f] of files.entries()) {
    mkdirSync(path.dirname(path.join(workDir, rel[i])), { recursive: true });
    copyFileSync(f, path.join(workDir, rel[i]));
  }
  const message = `docs(report): fixloop iteration ${iteration} report\n\nFixloop-Run: ${runId}\nFixloop-Iteration: ${iteration}\n`;
  await commitFiles(workDir, rel, message, policy.git.author, { force: true });
}

type Analysis = typeof import('../analysis/index.js');

/** The analysis module (ts-morph: a second to load) when the problem is located in a file it reads. */
async function analysisFor(problem: Problem): Promise<Analysis | undefined> {
  return problem.location && SOURCE_FILE.test(problem.location.file) ? import('../analysis/index.js') : undefined;
}

function safeContext(analysis: Analysis | undefined, root: string, problem: Problem): CodeContext | undefined {
  if (!analysis || !problem.location) return undefined;
  try {
    return analysis.contextFor(root, problem.location);
  } catch {
    return undefined; // context is a help for providers, never a reason to stop
  }
}
