import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contextFor, projectFor } from '../analysis/index.js';
import type { Attempt, CodeContext, CommitRecord, FlakyTest, IterationRecord, LoopEvent, Problem, RunSummary, StopReason, SuiteRun, TestRun } from '../model.js';
import { loadPolicy, parsePolicy, type Policy, type PolicyInput } from '../policy/index.js';
import { defaultProviders } from '../repair/index.js';
import { BudgetExhaustedError, ProviderFatalError } from '../repair/errors.js';
import { llmProviderFromPolicy, type LlmEvent, type LlmProvider } from '../repair/llm/index.js';
import type { PatchProvider } from '../repair/types.js';
import { isGreen, writeIterationReport, writeRunSummary } from '../report/index.js';
import { blockedByEnvironment, discoverTests, runSuites } from '../runners/index.js';
import { passVariables, withEnvironment } from '../runners/environment.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { groupProblems } from '../triage/index.js';
import { stillFailing } from '../verify/index.js';
import { addWorktree, cleanStaleState, describeDependencies, commitFiles, createBranch, dirtyFiles, excludeLoopState, fastForwardCurrent, git, headSha, pushBranch, removeWorktree, repoRoot } from '../vcs/index.js';
import { Channel } from './channel.js';
import { LoopError } from './errors.js';
import { runDeploy } from './deploy.js';
import { findFlaky } from '../verify/flaky.js';
import { acquireLock } from './lock.js';
import { resumeState, type ResumeState } from './resume.js';
import { repairProblem, StopRequested, type Approver, type Emit, type RepairContext } from './repair.js';

export interface LoopOptions {
  /** Any directory inside the repository to repair. */
  cwd: string;
  /** A policy object; when absent, `policyFile` or ./loop.policy.json or package.json defaults. */
  policy?: PolicyInput;
  policyFile?: string;
  providers?: PatchProvider[];
  adapters?: Record<string, TestRunnerAdapter>;
  maxIterations?: number;
  signal?: AbortSignal;
  /**
   * Run even with uncommitted changes: the loop works from HEAD in its own worktree anyway, so
   * they are left exactly as they are (and are not part of what is tested).
   */
  worktree?: boolean;
  /** The built-in LLM provider (used when `providers` is not given and ANTHROPIC_API_KEY or a replay is there). */
  llm?: { disabled?: boolean; record?: string; replay?: string };
  /** Supervised mode: decides about each verified candidate before it is committed. */
  approver?: Approver;
  /** Continue a run that did not end: true for the repository's last one (see resumeLoop). */
  resume?: ResumeState | true;
}

export interface Loop {
  /** The run as a stream of events; starts the run on first use. One consumer. */
  run(): AsyncIterable<LoopEvent>;
  /** The final summary; starts the run if nothing iterated yet. */
  readonly result: Promise<RunSummary>;
}


export function createLoop(options: LoopOptions): Loop {
  const channel = new Channel<LoopEvent>();
  let result: Promise<RunSummary> | undefined;
  const start = () => {
    if (!result) {
      result = withEnvironment(() => execute(options, (e) => channel.push(e)));
      result.then(() => channel.close(), (err) => channel.close(err));
      // The caller may only iterate; the failure then reaches them through the stream.
      result.catch(() => undefined);
    }
    return result;
  };
  return {
    run: () => (start(), channel),
    get result() {
      return start();
    },
  };
}

/** Continues the repository's last run that did not end (killed, crashed): same run id, branch, journal and budgets. */
export function resumeLoop(options: Omit<LoopOptions, 'resume'>): Loop {
  return createLoop({ ...options, resume: true });
}

function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

async function execute(options: LoopOptions, push: (e: LoopEvent) => void): Promise<RunSummary> {
  const root = await repoRoot(options.cwd);
  const loaded = options.policy
    ? { policy: parsePolicy(options.policy, '(SDK options)'), source: 'SDK options' }
    : loadPolicy(root, options.policyFile);
  const policy: Policy = loaded.policy;
  // Every command this run starts (suites, verification, discovery, deploy) gets the user's environment minus secrets, but these.
  passVariables(policy.env.pass);
  const maxIterations = options.maxIterations ?? policy.budget.maxIterations;
  const resume = options.resume === true ? resumeState(root) : options.resume;
  const baseSha = resume?.baseSha ?? (await headSha(root));
  await excludeLoopState(root);
  const dirty = await dirtyFiles(root);
  // A resumed run already works from its own branch: the user's files were never its input.
  if (dirty.length && !options.worktree && !resume) {
    const list = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? `, and ${dirty.length - 10} more` : '');
    throw new LoopError(`Uncommitted changes in ${root}: ${list}. Commit or stash them first, or pass --worktree to test HEAD and leave them as they are.`, 2);
  }

  const runId = resume?.runId ?? newRunId();
  const runDir = path.join(root, '.fixloop', 'runs', runId);
  const logDir = path.join(runDir, 'logs');
  const reportDir = path.resolve(root, policy.report.dir.replaceAll('{runId}', runId));
  const reportRel = path.relative(root, reportDir);
  if (policy.report.commit && (reportRel.startsWith('..') || path.isAbsolute(reportRel))) {
    throw new LoopError(`report.commit needs report.dir inside the repository; ${reportDir} is outside ${root}.`, 2);
  }
  const journal = path.join(runDir, 'journal.jsonl');
  const emit: Emit = (partial) => {
    const event = { ...partial, runId, at: new Date().toISOString() } as LoopEvent;
    appendFileSync(journal, `${JSON.stringify(event)}\n`);
    push(event);
  };

  const onCurrent = policy.git.branch === 'current';
  let branch = resume?.branch ?? (onCurrent ? 'fixloop/{runId}' : policy.git.branch).replaceAll('{runId}', runId);
  const workDir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-run-')), 'work');
  let llm: LlmProvider | undefined;
  try {
    llm = options.providers ? undefined : llmProviderFromPolicy(policy, { ...options.llm, disabled: options.llm?.disabled, onEvent: (e) => emitLlm(emit, e) });
  } catch (err) {
    // A prompt template or price table that cannot work is a policy problem: say so before anything starts.
    throw new LoopError((err as Error).message, 2);
  }
  const providers = options.providers ?? [...defaultProviders(), ...(llm ? [llm] : [])];
  // Budgets already spent stay spent: a resumed run cannot exceed what the first process was allowed.
  for (const usage of resume?.llmUsage ?? []) llm?.budget.record(policy.llm.model, usage);
  const startedAt = resume?.startedAt ?? new Date().toISOString();
  const flakyTests: FlakyTest[] = [...(resume?.flaky ?? [])];
  const flaky = new Set<string>(flakyTests.map((f) => f.id));
  const judged = new Set<string>(flaky);
  const repairCtx: RepairContext = {
    root, workDir, runId, policy, providers, adapters: options.adapters, logDir, signal: options.signal, flaky, emit, approver: options.approver,
    // A verification that found flaky tests: known from now on, and in this iteration's report.
    onFlaky: (found) => {
      const fresh = found.filter((f) => !flaky.has(f.id));
      if (fresh.length === 0) return;
      for (const f of fresh) {
        flaky.add(f.id);
        judged.add(f.id);
      }
      flakyTests.push(...fresh);
      if (open) {
        open.flaky = [...flakyTests];
        emit({ type: 'flaky:found', iteration: open.iteration, tests: fresh });
      }
    },
  };
  const commits: CommitRecord[] = [...(resume?.commits ?? [])];
  const attemptsByProblem = new Map<string, Attempt[]>(resume?.attempts ?? []);
  const reports: string[] = [...(resume?.reports ?? [])];
  let stopReason: StopReason = 'max-iterations';
  let iterations = 0;
  let first: TestRun | undefined;
  let baseline: TestRun | undefined;
  let open: IterationRecord | undefined;
  let fatal: string | undefined;
  const records: IterationRecord[] = [];

  /** report.commit: the iteration's reports, copied into the loop's checkout and committed there. */
  async function commitReports(files: string[], iteration: number): Promise<void> {
    const rel = files.map((f) => path.relative(root, f).split(path.sep).join('/'));
    for (const [i, f] of files.entries()) {
      mkdirSync(path.dirname(path.join(workDir, rel[i])), { recursive: true });
      copyFileSync(f, path.join(workDir, rel[i]));
    }
    const message = `docs(report): fixloop iteration ${iteration} report\n\nFixloop-Run: ${runId}\nFixloop-Iteration: ${iteration}\n`;
    await commitFiles(workDir, rel, message, policy.git.author, { force: true });
  }

  async function endIteration(record: IterationRecord, after: TestRun): Promise<void> {
    record.after = after;
    record.endedAt = new Date().toISOString();
    const written = await writeIterationReport(reportDir, record, { expectedTests: record.expectedTests });
    reports.push(...written);
    records.push(record);
    if (policy.report.commit) {
      await commitReports(written, record.iteration).catch((err: Error) => {
        emit({ type: 'commit:failed', iteration: record.iteration, problemId: 'reports', candidateId: `iteration-${record.iteration}`, reason: err.message });
      });
    }
    emit({ type: 'iteration:end', iteration: record.iteration, totals: after.totals, commits: record.commits.length, reports: written });
  }

  let dependencies: string | undefined;
  const lock = acquireLock(root, runId);
  if (lock.tookOverFrom !== undefined) process.emitWarning(`fixloop: took over the lock of a dead run (pid ${lock.tookOverFrom})`);
  try {
    mkdirSync(logDir, { recursive: true });
    const cleaned = await cleanStaleState(root, branch);
    if (resume) {
      if (!(await git(root).branchLocal()).all.includes(branch)) throw new LoopError(`Run ${runId} cannot be resumed: its branch ${branch} is gone.`, 2);
      dependencies = describeDependencies(await addWorktree(root, workDir, branch, { branch: true }));
      emit({ type: 'run:resume', branch, maxIterations, iteration: resume.nextIteration, commits: commits.length, cleaned });
    } else {
      await createBranch(root, branch, baseSha);
      dependencies = describeDependencies(await addWorktree(root, workDir, branch, { branch: true }));
      emit({ type: 'run:start', cwd: root, branch, baseSha, maxIterations, policySource: loaded.source, uncommitted: dirty, cleaned });
    }

    const expectedTests = policy.goal.expectedTests;
    // Counting what should run is only worth its runner start-ups when there is a goal to compare with.
    const discovery = expectedTests === undefined ? undefined : await discoverTests(policy.suites, { cwd: workDir, signal: options.signal });
    if (discovery) emit({ type: 'discovery:end', suites: discovery });

    const maxWall = policy.budget.maxWallMinutes;
    const wallSpent = () => maxWall !== undefined && Date.now() - Date.parse(startedAt) > maxWall * 60_000;
    for (let iteration = resume?.nextIteration ?? 1; iteration <= maxIterations; iteration++) {
      if (iteration > 1 && wallSpent()) {
        stopReason = 'budget';
        emit({ type: 'budget:spent', budget: 'maxWallMinutes', limit: maxWall! });
        break;
      }
      iterations = iteration;
      emit({ type: 'iteration:start', iteration });
      llm?.resume(); // an outage pauses the model for the rest of an iteration, not for the run
      // After a commit the verification run of the new head is the truth; no need to run again.
      let before: TestRun;
      if (baseline) before = baseline;
      else {
        const running = runAllSuites(policy, workDir, iteration, logDir, options, emit);
        // Building the TypeScript program takes a second or two of CPU; the suites run in another process, so
        // do it meanwhile (once the child has started) rather than after them, when the providers need it.
        let ran = false;
        const warm = iteration === 1 && !options.providers ? setTimeout(() => void warmAnalysis(workDir, () => ran), 300) : undefined;
        before = await running;
        ran = true;
        clearTimeout(warm);
      }
      first ??= before;
      let current = before;
      const found = await findFlaky(before, { cwd: workDir, suites: policy.suites, reruns: policy.flaky.reruns, judged, adapters: options.adapters, logDir, signal: options.signal });
      for (const f of found) flaky.add(f.id);
      flakyTests.push(...found);
      if (found.length) emit({ type: 'flaky:found', iteration, tests: found });
      // Flaky tests stay visible in every report but are never handed to a provider.
      const problems = (before.suites.every((s) => s.blocker) ? [] : groupProblems(before))
        .map((p) => ({ ...p, testIds: p.testIds.filter((id) => !flaky.has(id)) }))
        .filter((p) => p.testIds.length > 0 || p.loadFailedFiles.length > 0);
      for (const p of problems) {
        emit({ type: 'problem:found', iteration, problem: { id: p.id, kind: p.kind, title: p.title, location: p.location, testFiles: p.testFiles, tests: p.testIds.length } });
      }
      const record: IterationRecord = (open = { runId, iteration, startedAt: new Date().toISOString(), endedAt: '', before, after: before, problems, attempts: [], commits: [], baseSha: await headSha(workDir), flaky: [...flakyTests], categories: policy.categories, expectedTests, discovery, dependencies });

      for (const problem of problems) {
        if (options.signal?.aborted || wallSpent()) break;
        if (stillFailing(problem, before, current).length === 0) continue; // an earlier fix this iteration solved it
        const history = attemptsByProblem.get(problem.id) ?? [];
        attemptsByProblem.set(problem.id, history);
        const fix = await repairProblem(repairCtx, problem, current, iteration, history, safeContext(workDir, problem));
        record.attempts.push(...fix.attempts);
        if (fix.commit && fix.run) {
          record.commits.push(fix.commit);
          commits.push(fix.commit);
          current = fix.run;
          record.after = current;
        }
      }
      baseline = current;

      if (policy.deploy && (policy.deploy.when === 'always' || isGreen(current, { expectedTests }))) {
        record.deploy = await runDeploy(policy.deploy, workDir, options.signal);
        emit({ type: 'deploy:end', iteration, ok: record.deploy.every((d) => d.status === 'ok'), steps: record.deploy });
      }
      await endIteration(record, current);

      if (options.signal?.aborted) {
        stopReason = 'interrupted';
        break;
      }
      if (blockedByEnvironment(current)) {
        stopReason = 'blocked';
        break;
      }
      if (isGreen(current, { expectedTests })) {
        stopReason = 'green';
        break;
      }
      if (policy.deploy?.stopOnFailure && record.deploy?.some((d) => d.status === 'failed')) {
        stopReason = 'deploy-failed';
        break;
      }
      if (wallSpent()) {
        stopReason = 'budget';
        emit({ type: 'budget:spent', budget: 'maxWallMinutes', limit: maxWall! });
        break;
      }
      if (record.commits.length === 0) {
        stopReason = record.attempts.length ? 'no-progress' : 'nothing-fixable';
        break;
      }
      if (iteration === maxIterations) emit({ type: 'budget:spent', budget: 'maxIterations', limit: maxIterations });
    }
  } catch (err) {
    // An interruption rejects whatever step was running (a suite run, a verification); a spent model
    // budget or a provider that cannot go on ends the run cleanly; anything else is a crash.
    if (err instanceof BudgetExhaustedError) {
      stopReason = 'budget';
      emit({ type: 'budget:spent', budget: err.budget, limit: err.limit });
    } else if (err instanceof ProviderFatalError) {
      stopReason = 'fatal';
      fatal = err.message;
    } else if (err instanceof StopRequested) {
      stopReason = 'stopped';
    } else if (options.signal?.aborted) {
      stopReason = 'interrupted';
    } else throw err;
    if (open && !open.endedAt) await endIteration(open, open.after);
    baseline = open?.after ?? baseline;
  } finally {
    await removeWorktree(root, workDir);
    if (onCurrent && commits.length) {
      const current = (await git(root).raw(['branch', '--show-current'])).trim();
      const why = await fastForwardCurrent(root, branch, baseSha);
      if (why === undefined) {
        await git(root).raw(['branch', '-D', branch]);
        emit({ type: 'branch:updated', branch: current, ok: true, message: `fast-forwarded ${current} to the fixes` });
        branch = current;
      } else {
        emit({ type: 'branch:updated', branch: current || 'HEAD', ok: false, message: `the fixes stay on ${branch}: ${why}` });
      }
    }
    if (policy.git.push && commits.length) {
      const remote = policy.git.push;
      await pushBranch(root, remote, branch).then(
        () => emit({ type: 'push:end', remote, branch, ok: true, message: `pushed ${branch} to ${remote}` }),
        (err: Error) => emit({ type: 'push:end', remote, branch, ok: false, message: err.message.trim() }),
      );
    }
    if (commits.length === 0) await git(root).raw(['branch', '-D', branch]).catch(() => undefined);
    lock.release();
  }

  const after = baseline ?? first;
  const empty = { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 };
  const status: RunSummary['status'] =
    stopReason === 'interrupted' || stopReason === 'stopped' ? 'interrupted' : stopReason === 'blocked' ? 'blocked' : stopReason === 'green' ? 'green' : stopReason === 'fatal' ? 'error' : 'failing';
  const llmSpend = llm && llm.budget.spent.requests > 0 ? { ...llm.budget.spent, cacheHitShare: llm.budget.cacheHitShare } : undefined;
  const summary: RunSummary = {
    runId,
    status,
    stopReason,
    branch: commits.length ? branch : '',
    iterations,
    commits,
    totalsBefore: resume?.totalsBefore ?? first?.totals ?? empty,
    totalsAfter: after?.totals ?? empty,
    reportDir,
    reports,
    startedAt,
    endedAt: new Date().toISOString(),
    ...(fatal ? { error: fatal } : {}),
    ...(llmSpend ? { llm: llmSpend } : {}),
  };
  summary.reports.push(...(await writeRunSummary(reportDir, { summary, iterations: records, maxIterations, maxTokens: policy.budget.maxTokens, maxCostUSD: policy.budget.maxCostUSD })));
  emit({
    type: 'run:end',
    status,
    stopReason,
    ...(fatal ? { error: fatal } : {}),
    ...(llmSpend ? { llm: llmSpend } : {}),
    commits: commits.map((c) => ({ sha: c.sha, message: c.message, files: c.files })),
    totalsBefore: summary.totalsBefore,
    totalsAfter: summary.totalsAfter,
    reports,
    reportDir,
    branch: summary.branch,
  });
  return summary;
}

/** The LLM provider's own events, as loop events (usage in plain numbers; notices as text). */
function emitLlm(emit: Emit, e: LlmEvent): void {
  if (e.type === 'llm:usage') {
    const u = e.usage;
    emit({
      type: 'llm:usage',
      problemId: e.problemId,
      turn: e.turn,
      inputTokens: u.input_tokens ?? 0,
      outputTokens: u.output_tokens ?? 0,
      cacheReadTokens: u.cache_read_input_tokens ?? 0,
      cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
      costUSD: e.costUSD,
    });
  } else if (e.type !== 'llm:request') {
    const message = e.type === 'llm:invalid-call' ? `${e.tool}: ${e.reason}` : e.type === 'llm:outage' ? e.message : e.reason;
    emit({ type: 'llm:notice', problemId: e.problemId, kind: e.type.slice(4) as 'outage' | 'paused' | 'invalid-call' | 'gave-up', message });
  }
}

async function runAllSuites(policy: Policy, cwd: string, iteration: number, logDir: string, options: LoopOptions, emit: Emit): Promise<TestRun> {
  emit({ type: 'suites:start', iteration, suites: policy.suites.map((s) => s.name) });
  const run = await runSuites(policy.suites, {
    cwd,
    logDir,
    // Runners that retry within a run (vitest) judge flaky tests here, without another start.
    retries: policy.flaky.reruns,
    signal: options.signal,
    adapters: options.adapters,
    onSuiteEnd: (s: SuiteRun) => emit({ type: 'suite:end', iteration, suite: s.suite, totals: s.totals, durationMs: s.durationMs, blocker: s.blocker }),
  });
  emit({ type: 'suites:end', iteration, totals: run.totals, durationMs: run.durationMs });
  return run;
}

/**
 * Builds the TypeScript program, then type-checks the repository's files one at a time until
 * `done()`, yielding between files so the suites' output keeps flowing: the checker keeps what it
 * found, and the providers' first questions are answered from it.
 */
async function warmAnalysis(root: string, done: () => boolean): Promise<void> {
  try {
    const analysis = projectFor(root);
    analysis.languageService.getProgram()?.getTypeChecker();
    // ts-morph's own program answers getType()/getSymbol(): bind it too.
    void analysis.project.getTypeChecker().compilerObject;
    for (const sf of analysis.project.getSourceFiles()) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done()) return;
      const file = sf.getFilePath();
      if (!sf.isDeclarationFile() && analysis.isInside(file) && !file.includes('/node_modules/')) analysis.rawDiagnostics(file);
    }
  } catch {
    // Only a head start: the providers load what they need themselves.
  }
}

function safeContext(root: string, problem: Problem): CodeContext | undefined {
  if (!problem.location) return undefined;
  try {
    return contextFor(root, problem.location);
  } catch {
    return undefined; // context is a help for providers, never a reason to stop
  }
}
