// One problem's repair: ask providers in turn, screen each candidate (guards, commit intent),
// verify up to `verify.concurrency` of them at once in their own worktrees, commit the best.
// Over 300 lines: screening, parallel verification, the history hold-back and the choice of the
// best candidate share the job's state; split apart they would pass it through every call.
import { availableParallelism } from 'node:os';
import type { Attempt, Candidate, CodeContext, CommitRecord, Culprit, Decision, Isolation, LoopEvent, Problem, TestRun, Verdict } from '../model.js';
import { applyPatch, guardPatch, patchDiff, patchFiles, patchSize } from '../patch/index.js';
import type { Policy } from '../policy/index.js';
import { BudgetExhaustedError, ProviderFatalError } from '../repair/errors.js';
import type { PatchProvider, ProposeContext } from '../repair/types.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { verifyCandidate, type TestHistory } from '../verify/index.js';
import { commitFiles, commitHeader, commitMessage, commitMessageProblem, headSha, restoreFiles } from '../vcs/index.js';
import type { FlakyLedger } from './run.js';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type Emit = (event: DistributiveOmit<LoopEvent, 'runId' | 'at'>) => void;

export interface RepairContext {
  /** The user's repository (verification worktrees are made from it). */
  root: string;
  /** The loop's worktree on its branch: candidates are made against it and committed in it. */
  workDir: string;
  runId: string;
  policy: Policy;
  providers: PatchProvider[];
  adapters?: Record<string, TestRunnerAdapter>;
  logDir: string;
  signal?: AbortSignal;
  /** Tests known to be flaky: never counted as broken by a candidate; a verification may find more. */
  flaky: FlakyLedger;
  emit: Emit;
  /** Supervised mode: asked before each verified candidate is committed. */
  approver?: Approver;
  /** What candidates' code runs in during verification (verify.sandbox). */
  isolation?: Isolation;
  /** Runs at earlier commits, to judge tests a candidate lets run again (verify/history.ts). */
  history?: TestHistory;
  /** The commit that made the problem's tests fail, searched once per run (absent: no search). */
  culprit?: (problem: Problem, iteration: number) => Promise<Culprit | undefined>;
}

export interface ApprovalRequest {
  problem: Problem;
  candidate: Candidate;
  verdict: Verdict;
  diff: string;
}

/** Decides about a verified candidate: commit it, reject it (the next is tried), skip the problem, or stop the run. */
export type Approver = (request: ApprovalRequest) => Decision | Promise<Decision>;

/** The person (or program) supervising the run asked it to stop. */
export class StopRequested extends Error {
  constructor() {
    super('stopped by the approver');
    this.name = 'StopRequested';
  }
}

export interface RepairOutcome {
  attempts: Attempt[];
  commit?: CommitRecord;
  run?: TestRun;
}

interface Screened {
  candidate: Candidate;
  files: string[];
  base: Omit<Attempt, 'outcome'>;
}

type Verified = Screened & { verdict: Verdict; size: number };

/** One problem's repair in progress: what every step below reads, and the attempts it records. */
interface Job {
  ctx: RepairContext;
  problem: Problem;
  current: TestRun;
  iteration: number;
  /** Every attempt on this problem in the run, this one's included. */
  history: Attempt[];
  /** This repair's attempts. */
  attempts: Attempt[];
  /**
   * The best candidate so far that fails tests which passed at an earlier commit: committed only
   * when no provider proposes a better one (counted as an attempt meanwhile).
   */
  held?: Verified;
  /** Candidates whose verification was cut short (Verdict.cutShort): verified once more at the end. */
  retry: Screened[];
}

const ACCEPTED = new Set(['fixed', 'partial']);

/** "fixed" before "partial", then fixes most, then the smallest diff. */
function better(a: { verdict: Verdict; size: number }, b: { verdict: Verdict; size: number }): number {
  const rank = (v: Verdict) => (v.kind === 'fixed' ? 0 : 1);
  return rank(a.verdict) - rank(b.verdict) || b.verdict.fixed.length - a.verdict.fixed.length || a.size - b.size;
}

export async function repairProblem(
  ctx: RepairContext,
  problem: Problem,
  current: TestRun,
  iteration: number,
  history: Attempt[],
  context: () => CodeContext | undefined,
): Promise<RepairOutcome> {
  const job: Job = { ctx, problem, current, iteration, history, attempts: [], retry: [] };
  // Gathering the context type-checks the problem's file (seconds on a real project, on a cold
  // program): only a provider that reads it pays for it, once.
  let gathered: { context: CodeContext | undefined } | undefined;
  const lazyContext = () => (gathered ??= { context: context() }).context;
  for (const provider of ctx.providers) {
    const propose: ProposeContext = {
      root: ctx.workDir, protect: ctx.policy.guard.protect, harness: ctx.policy.guard.harness, history: [...history], signal: ctx.signal, emit: ctx.emit, culprit: culpritFor(ctx, problem, iteration),
      get context() {
        return lazyContext();
      },
    };
    const candidates = provider.propose(problem, propose)[Symbol.asyncIterator]();
    try {
      const ended = await drain(job, provider, candidates);
      if (ended) return ended;
    } finally {
      await candidates.return?.();
    }
  }
  // A loaded machine's timeout judged the machine, not the candidate: once more, while attempts are left.
  for (const again of job.retry.splice(0)) {
    if (spent(job)) break;
    const ended = await choose(job, await verifyBatch(job, [again]));
    if (ended) return ended;
  }
  // Nothing better came: the held candidate is the best there is.
  if (job.held && !ctx.signal?.aborted) {
    const held = job.held;
    job.held = undefined;
    return (await commitWinner(job, held)) ?? { attempts: job.attempts };
  }
  return { attempts: job.attempts };
}

function culpritFor(ctx: RepairContext, problem: Problem, iteration: number): (() => Promise<Culprit | undefined>) | undefined {
  const find = ctx.culprit;
  return find && (() => find(problem, iteration));
}

function record(job: Job, attempt: Attempt): void {
  job.attempts.push(attempt);
  job.history.push(attempt);
}

/** Attempts made on the problem, a held candidate included. */
function tried(job: Job): number {
  return job.history.length + (job.held ? 1 : 0);
}

function spent(job: Job): boolean {
  return tried(job) >= job.ctx.policy.budget.maxAttemptsPerProblem || !!job.ctx.signal?.aborted;
}

/** Batches of one provider's candidates, each verified at once, until it has no more, the problem is done or its attempts are spent. */
async function drain(job: Job, provider: PatchProvider, candidates: AsyncIterator<Candidate>): Promise<RepairOutcome | undefined> {
  let exhausted = false;
  while (!exhausted && !spent(job)) {
    const next = await nextBatch(job, provider, candidates);
    exhausted = next.exhausted;
    if (next.batch.length === 0) continue;
    const ended = await choose(job, await verifyBatch(job, next.batch));
    if (ended) return ended;
  }
  return undefined;
}

/** Up to verify.concurrency candidates that pass screening (those that do not are recorded as rejected). */
async function nextBatch(job: Job, provider: PatchProvider, candidates: AsyncIterator<Candidate>): Promise<{ batch: Screened[]; exhausted: boolean }> {
  const { ctx, problem, iteration } = job;
  const concurrency = ctx.policy.verify.concurrency ?? Math.max(1, availableParallelism() - 1);
  const batch: Screened[] = [];
  while (batch.length < concurrency && tried(job) + batch.length < ctx.policy.budget.maxAttemptsPerProblem) {
    let next: IteratorResult<Candidate>;
    try {
      next = await candidates.next();
    } catch (err) {
      // A provider that throws is reported and the next one is asked; only its own failure is caught here.
      // A spent budget or a provider that cannot go on (bad key) ends the run instead.
      if (ctx.signal?.aborted || err instanceof BudgetExhaustedError || err instanceof ProviderFatalError) throw err;
      ctx.emit({ type: 'provider:error', iteration, problemId: problem.id, provider: provider.name, message: (err as Error).message });
      return { batch, exhausted: true };
    }
    if (next.done) return { batch, exhausted: true };
    const screened = screen(ctx, problem, next.value, iteration);
    if ('outcome' in screened) record(job, screened);
    else batch.push(screened);
  }
  return { batch, exhausted: false };
}

/** Each candidate in its own worktree, all at once, against the loop's current head. */
async function verifyBatch(job: Job, batch: Screened[]): Promise<Verified[]> {
  const { ctx, problem, iteration, current } = job;
  const ref = await headSha(ctx.workDir);
  return Promise.all(
    batch.map(async (s) => {
      const verdict = await verifyCandidate({
        repoRoot: ctx.root, ref, suites: ctx.policy.suites, baseline: current, problem, candidate: s.candidate,
        adapters: ctx.adapters, logDir: ctx.logDir, signal: ctx.signal, flaky: ctx.flaky.ids, flakyReruns: ctx.policy.flaky.reruns, isolation: isolationOf(ctx, s.candidate), history: ctx.history,
      });
      // Known from now on, and in this iteration's report.
      const fresh = verdict.flaky?.length ? ctx.flaky.addVerified(verdict.flaky) : [];
      if (fresh.length) ctx.emit({ type: 'flaky:found', iteration, tests: fresh });
      ctx.emit({ type: 'candidate:verified', iteration, problemId: problem.id, candidateId: s.candidate.id, verdict: verdict.kind, summary: verdict.summary, ...(verdict.cutShort ? { cutShort: verdict.cutShort } : {}) });
      return { ...s, verdict, size: patchSize(s.candidate.patch) };
    }),
  );
}

/**
 * Best first; without an approver the first is committed. A person may reject it and see the next.
 * Returns the outcome when the problem is done with (a commit, or skipped); undefined to go on.
 */
async function choose(job: Job, verified: Verified[]): Promise<RepairOutcome | undefined> {
  const { ctx, problem, iteration } = job;
  const winners = [...verified.filter((v) => ACCEPTED.has(v.verdict.kind) && v.verdict.run), ...(job.held ? [job.held] : [])].sort(better);
  job.held = undefined;
  for (const v of verified) {
    if (winners.includes(v)) continue;
    record(job, { ...v.base, outcome: 'not-accepted', reason: v.verdict.summary, verdict: kept(v.verdict), ...(v.verdict.cutShort ? { cutShort: v.verdict.cutShort } : {}) });
    if (v.verdict.cutShort) job.retry.push({ candidate: v.candidate, files: v.files, base: v.base });
  }
  // Worse than the code was before the fault: another provider may do better, so wait for it (a person decides at once).
  if (!ctx.approver && winners[0]?.verdict.history) {
    job.held = winners[0];
    for (const rest of winners.slice(1)) record(job, notChosen(rest));
    return undefined;
  }
  for (const [i, winner] of winners.entries()) {
    const decision = ctx.approver ? await ctx.approver({ problem, candidate: winner.candidate, verdict: winner.verdict, diff: winner.base.diff }) : 'accept';
    if (ctx.approver) ctx.emit({ type: 'candidate:decision', iteration, problemId: problem.id, candidateId: winner.candidate.id, decision });
    if (decision === 'accept') {
      for (const rest of winners.slice(i + 1)) record(job, notChosen(rest));
      return commitWinner(job, winner);
    }
    record(job, { ...winner.base, outcome: 'rejected', reason: `${decision === 'reject' ? 'rejected' : decision === 'skip' ? 'problem skipped' : 'run stopped'} by the approver`, verdict: kept(winner.verdict) });
    if (decision === 'skip') return { attempts: job.attempts };
    if (decision === 'stop') throw new StopRequested();
  }
  return undefined;
}

function notChosen(v: Verified): Attempt {
  return { ...v.base, outcome: 'not-accepted', reason: `${v.verdict.summary}; a candidate that fixes more (or the same with a smaller diff) was chosen`, verdict: kept(v.verdict) };
}

async function commitWinner(job: Job, winner: Verified): Promise<RepairOutcome | undefined> {
  const outcome = await commitCandidate(job.ctx, job.problem, winner, job.current, job.iteration);
  record(job, outcome.attempt);
  return outcome.commit ? { attempts: job.attempts, commit: outcome.commit, run: winner.verdict.run } : undefined;
}

/** A verdict as attempts keep it: without the runs. */
function kept(verdict: Verdict): Omit<Verdict, 'run' | 'targeted'> {
  const { run: _run, targeted: _targeted, ...rest } = verdict;
  return rest;
}

/** Emits candidate:proposed; rejects (with the reason) what the guards or the commit intent refuse. */
function screen(ctx: RepairContext, problem: Problem, candidate: Candidate, iteration: number): Screened | Attempt {
  const { policy, emit } = ctx;
  const files = patchFiles(candidate.patch);
  const base = { problemId: problem.id, candidateId: candidate.id, provider: candidate.provider, title: candidate.title, rootCause: candidate.rootCause, diff: patchDiff(candidate.patch) };
  emit({ type: 'candidate:proposed', iteration, problemId: problem.id, candidateId: candidate.id, provider: candidate.provider, title: candidate.title, files });
  const guard = guardPatch(candidate.patch, {
    protect: policy.guard.protect,
    root: ctx.workDir,
    maxPatchLines: policy.repair.maxPatchLines,
    maxFiles: policy.repair.maxFiles,
    allowEscapeHatches: policy.guard.allowEscapeHatches,
    harness: policy.guard.harness,
    allowTestDetection: policy.guard.allowTestDetection,
  });
  const headerProblem = commitMessageProblem(commitHeader(intentOf(candidate), files));
  const reason = guard.reason ?? (headerProblem && `its commit intent is not a Conventional Commit: ${headerProblem}`);
  if (reason) {
    emit({ type: 'candidate:rejected', iteration, problemId: problem.id, candidateId: candidate.id, reason });
    return { ...base, outcome: 'rejected', reason };
  }
  return { candidate, files, base };
}

function intentOf(candidate: Candidate) {
  return candidate.commit ?? { type: 'fix', subject: candidate.title.toLowerCase() };
}

async function commitCandidate(
  ctx: RepairContext,
  problem: Problem,
  winner: Screened & { verdict: Verdict },
  current: TestRun,
  iteration: number,
): Promise<{ attempt: Attempt; commit?: CommitRecord }> {
  const { candidate, files, base, verdict } = winner;
  const message = commitMessage({
    intent: intentOf(candidate),
    files,
    rootCause: candidate.rootCause ?? problem.title,
    fix: `${candidate.title} (${candidate.provider})`,
    before: current.totals,
    after: verdict.run!.totals,
    runId: ctx.runId,
    iteration,
    provider: candidate.provider,
    problemId: problem.id,
    candidateId: candidate.id,
  });
  applyPatch(ctx.workDir, candidate.patch);
  let sha: string;
  try {
    sha = await commitFiles(ctx.workDir, files, message, ctx.policy.git.author);
  } catch (err) {
    // A hook (or anything else) refused the commit: undo the patch in the loop's tree and go on.
    await restoreFiles(ctx.workDir, files);
    const reason = (err as Error).message;
    ctx.emit({ type: 'commit:failed', iteration, problemId: problem.id, candidateId: candidate.id, reason });
    return { attempt: { ...base, outcome: 'error', reason, verdict: kept(verdict) } };
  }
  const commit: CommitRecord = { sha, message, files, problemId: problem.id, candidateId: candidate.id, provider: candidate.provider, iteration };
  ctx.emit({ type: 'fix:committed', iteration, problemId: problem.id, candidateId: candidate.id, sha, message, files });
  return { attempt: { ...base, outcome: 'committed', verdict: kept(verdict) }, commit };
}

/** A model's (or any untrusted provider's) candidate runs in the sandbox; a deterministic one only with scope "every-candidate". */
function isolationOf(ctx: RepairContext, candidate: Candidate): Isolation | undefined {
  const trusted = ctx.providers.find((p) => p.name === candidate.provider)?.deterministic === true;
  if (trusted && ctx.policy.verify.sandbox.scope === 'model') return { kind: 'none', why: `a ${candidate.provider} candidate, made by fixed rules (verify.sandbox.scope "model")` };
  return ctx.isolation;
}
