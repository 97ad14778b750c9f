// The loop: open a session, run iterations until a stop decision, close the session, write the
// summary. docs/architecture.md draws it; each step lives in its own file (session, iteration,
// problem, stop).
import path from 'node:path';
import type { CommitRecord, LoopEvent, RunSummary } from '../model.js';
import type { PolicyInput } from '../policy/index.js';
import { providersFromPolicy } from '../repair/from-policy.js';
import type { PatchProvider, ProviderSummary } from '../repair/types.js';
import { reportRunEnd, type Reporter } from '../report/index.js';
import { onlyFlakyFail } from '../test-run.js';
import { passVariables, withEnvironment } from '../runners/environment.js';
import { discoverTests } from '../runners/index.js';
import { git } from '../vcs/index.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { Channel } from './channel.js';
import { LoopError } from './errors.js';
import { endIteration, runIteration } from './iteration.js';
import type { Approver } from './problem.js';
import type { ResumeState } from './resume.js';
import { newRun, type Run } from './run.js';
import { beginSession, closeSession, lockSession, openSession } from './session.js';
import { stopDecision, stopForError, type RunState, type Stop } from './stop.js';
import { blockedOf, failingOf } from '../report/failing.js';

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
  llm?: { disabled?: boolean; record?: string; replay?: string; trustPolicyEndpoint?: boolean };
  /** Supervised mode: decides about each verified candidate before it is committed. */
  approver?: Approver;
  /** Continue a run that did not end: true for the repository's last one (see resumeLoop). */
  resume?: ResumeState | true;
  /** Consumers of the run besides the journal and the built-in reports (docs/sdk.md, examples/reporter.ts). */
  reporters?: Reporter[];
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

async function execute(options: LoopOptions, push: (e: LoopEvent) => void): Promise<RunSummary> {
  const session = await openSession(options, push);
  // Every command this run starts (suites, verification, discovery, deploy) gets the user's environment minus secrets, but these.
  passVariables(session.policy.env.pass);
  let providers: PatchProvider[];
  try {
    providers = options.providers ?? await providersFromPolicy(session.policy, { ...options.llm, policyInRepository: policyInRepository(session.policySource) });
  } catch (err) {
    // A prompt template or price table that cannot work is a policy problem: say so before anything starts.
    throw new LoopError((err as Error).message, 2);
  }
  const run = newRun(session, { providers, adapters: options.adapters, signal: options.signal, approver: options.approver, warmAnalysis: !options.providers });

  let stop: Stop = { reason: 'max-iterations' };
  let summaries: ProviderSummary[] = [];
  const lock = lockSession(session);
  try {
    await beginSession(session, run.commits.length);
    for (const p of providers) await p.start?.({ earlier: session.resume?.providerEvents ?? [], emit: (e) => session.emit(e) });
    stop = await iterate(run);
  } catch (err) {
    stop = stopForError(err, run.interrupted(), { passed: run.deadlinePassed(), maxWallMinutes: session.policy.budget.maxWallMinutes }) ?? rethrow(err);
    if (stop.spent) session.emit({ type: 'budget:spent', ...stop.spent });
    if (run.open && !run.open.endedAt) await endIteration(run, run.open);
    run.last = run.open?.after ?? run.last;
  } finally {
    run.stopClock();
    await closeSession(session, lock, run.commits.length);
    summaries = (await Promise.all(providers.map((p) => p.stop?.()))).filter((s) => s !== undefined);
  }
  return finish(run, stop, Object.assign({}, ...summaries));
}

/** Iterations until a stop decision (announcing the budget that ran out, if one did). */
async function iterate(run: Run): Promise<Stop> {
  const { policy, maxIterations, resume, workDir } = run.session;
  const expectedTests = policy.goal.expectedTests;
  // Counting what should run is only worth its runner start-ups when there is a goal to compare with.
  run.discovery = expectedTests === undefined ? undefined : await discoverTests(policy.suites, { cwd: workDir, signal: run.signal });
  if (run.discovery) run.emit({ type: 'discovery:end', suites: run.discovery });
  const decide = (iteration: number, ended?: RunState['ended']) =>
    stopDecision({
      iteration, maxIterations, expectedTests, ended, maxWallMinutes: policy.budget.maxWallMinutes, wallSpent: run.wallSpent(),
      aborted: run.interrupted(), stopOnDeployFailure: policy.deploy?.stopOnFailure,
    });
  for (let iteration = resume?.nextIteration ?? 1; ; iteration++) {
    let stop = decide(iteration);
    if (!stop) {
      run.iterations = iteration;
      const record = await runIteration(run, iteration);
      stop = decide(iteration, { after: record.after, commits: record.commits.length, attempts: record.attempts.length, deploy: record.deploy, onlyFlaky: onlyFlakyFail(record.after, run.flaky.ids) });
    }
    if (stop) {
      if (stop.spent) run.emit({ type: 'budget:spent', ...stop.spent });
      return stop;
    }
  }
}

function rethrow(err: unknown): never {
  throw err;
}

/** The run summary (summary.md, summary.html) and run:end. */
async function finish(run: Run, stop: Stop, { llm }: ProviderSummary): Promise<RunSummary> {
  const { session, commits, reports } = run;
  const { reason: stopReason, error } = stop;
  const after = run.last ?? run.first;
  const empty = { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 };
  const status: RunSummary['status'] =
    stopReason === 'interrupted' || stopReason === 'stopped' ? 'interrupted' : stopReason === 'blocked' ? 'blocked' : stopReason === 'green' ? 'green' : stopReason === 'fatal' ? 'error' : 'failing';
  const summary: RunSummary = {
    runId: session.runId,
    status,
    stopReason,
    branch: commits.length ? session.branch : '',
    iterations: run.iterations,
    commits,
    totalsBefore: session.resume?.totalsBefore ?? run.first?.totals ?? empty,
    totalsAfter: after?.totals ?? session.resume?.totalsAfter ?? empty,
    reportDir: session.reportDir,
    reports,
    startedAt: session.startedAt,
    endedAt: new Date().toISOString(),
    ...(error ? { error } : {}),
    ...(llm ? { llm } : {}),
    ...(stopReason === 'flaky' ? { exitCode: session.policy.flaky.exitCode } : {}),
    failing: after ? failingOf(after, run.records.at(-1)?.problems) : [],
    blocked: after ? blockedOf(after) : [],
  };
  const { policy, maxIterations } = session;
  const earlier = session.resume?.earlier.filter((e) => !run.records.some((r) => r.iteration === e.iteration)) ?? [];
  await reportRunEnd(session.reporters, {
    summary, iterations: run.records, earlier, diffs: await commitDiffs(session.root, commits), maxIterations, maxTokens: policy.budget.maxTokens, maxCostUSD: policy.budget.maxCostUSD,
  });
  run.emit({
    type: 'run:end',
    status,
    stopReason,
    ...(error ? { error } : {}),
    ...(llm ? { llm } : {}),
    commits: commits.map((c) => ({ sha: c.sha, message: c.message, files: c.files })),
    totalsBefore: summary.totalsBefore,
    totalsAfter: summary.totalsAfter,
    reports,
    reportDir: session.reportDir,
    branch: summary.branch,
    failing: summary.failing ?? [],
    blocked: summary.blocked ?? [],
  });
  return summary;
}

/** Each fix's diff as git has it, so a resumed run's summary shows the fixes of the processes before it. */
async function commitDiffs(root: string, commits: CommitRecord[]): Promise<Record<string, string>> {
  const diffs: Record<string, string> = {};
  for (const c of commits) diffs[c.sha] = await git(root).raw(['show', '--format=', '--no-color', c.sha, '--', ...c.files]).catch(() => '');
  return diffs;
}

/** The policy's path when it is a file of the repository (not SDK options, not defaults, not a file outside). */
function policyInRepository(source: string): string | undefined {
  return source.endsWith('.json') && !source.startsWith('..') && !path.isAbsolute(source) ? source : undefined;
}
