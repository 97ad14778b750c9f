// One problem's repair: ask providers in turn, screen each candidate (guards, commit intent),
// verify up to `verify.concurrency` of them at once in their own worktrees, commit the best.
import { availableParallelism } from 'node:os';
import type { Attempt, Candidate, CodeContext, CommitRecord, Decision, FlakyTest, LoopEvent, Problem, TestRun, Verdict } from '../model.js';
import { applyPatch, guardPatch, patchDiff, patchFiles, patchSize } from '../patch/index.js';
import type { Policy } from '../policy/index.js';
import { BudgetExhaustedError, ProviderFatalError } from '../repair/errors.js';
import type { PatchProvider } from '../repair/types.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { verifyCandidate } from '../verify/index.js';
import { commitFiles, commitHeader, commitMessage, commitMessageProblem, headSha, restoreFiles } from '../vcs/index.js';

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
  /** Test ids known to be flaky: never counted as broken by a candidate. */
  flaky: Set<string>;
  /** Told of tests a verification found flaky (they failed under a candidate, then passed). */
  onFlaky?: (found: FlakyTest[]) => void;
  emit: Emit;
  /** Supervised mode: asked before each verified candidate is committed. */
  approver?: Approver;
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

const ACCEPTED = new Set(['fixed', 'partial']);

/** fixes most first, then the smallest diff. */
function better(a: { verdict: Verdict; size: number }, b: { verdict: Verdict; size: number }): number {
  return b.verdict.fixed.length - a.verdict.fixed.length || a.size - b.size;
}

export async function repairProblem(
  ctx: RepairContext,
  problem: Problem,
  current: TestRun,
  iteration: number,
  history: Attempt[],
  context: CodeContext | undefined,
): Promise<RepairOutcome> {
  const { policy, emit } = ctx;
  const concurrency = policy.verify.concurrency ?? Math.max(1, availableParallelism() - 1);
  const attempts: Attempt[] = [];
  const record = (attempt: Attempt) => {
    attempts.push(attempt);
    history.push(attempt);
  };
  const spent = () => history.length >= policy.budget.maxAttemptsPerProblem || ctx.signal?.aborted;

  for (const provider of ctx.providers) {
    const candidates = provider
      .propose(problem, { root: ctx.workDir, protect: policy.guard.protect, context, history: [...history], signal: ctx.signal })
      [Symbol.asyncIterator]();
    try {
      let exhausted = false;
      while (!exhausted && !spent()) {
        const batch: Screened[] = [];
        while (batch.length < concurrency && history.length + batch.length < policy.budget.maxAttemptsPerProblem) {
          let next: IteratorResult<Candidate>;
          try {
            next = await candidates.next();
          } catch (err) {
            // A provider that throws is reported and the next one is asked; only its own failure is caught here.
            // A spent budget or a provider that cannot go on (bad key) ends the run instead.
            if (ctx.signal?.aborted || err instanceof BudgetExhaustedError || err instanceof ProviderFatalError) throw err;
            emit({ type: 'provider:error', iteration, problemId: problem.id, provider: provider.name, message: (err as Error).message });
            exhausted = true;
            break;
          }
          if (next.done) {
            exhausted = true;
            break;
          }
          const screened = screen(ctx, problem, next.value, iteration);
          if ('outcome' in screened) record(screened);
          else batch.push(screened);
        }
        if (batch.length === 0) continue;
        const ref = await headSha(ctx.workDir);
        const verified = await Promise.all(
          batch.map(async (s) => {
            const verdict = await verifyCandidate({
              repoRoot: ctx.root, ref, suites: policy.suites, baseline: current, problem, candidate: s.candidate,
              adapters: ctx.adapters, logDir: ctx.logDir, signal: ctx.signal, flaky: ctx.flaky, flakyReruns: policy.flaky.reruns,
            });
            if (verdict.flaky?.length) ctx.onFlaky?.(verdict.flaky);
            emit({ type: 'candidate:verified', iteration, problemId: problem.id, candidateId: s.candidate.id, verdict: verdict.kind, summary: verdict.summary });
            return { ...s, verdict, size: patchSize(s.candidate.patch) };
          }),
        );
        const winners = verified.filter((v) => ACCEPTED.has(v.verdict.kind) && v.verdict.run).sort(better);
        for (const v of verified) {
          if (winners.includes(v)) continue;
          const { run: _run, targeted: _targeted, ...kept } = v.verdict;
          record({ ...v.base, outcome: 'not-accepted', reason: v.verdict.summary, verdict: kept });
        }
        // Best first; without an approver the first is committed. A person may reject it and see the next.
        for (const [i, winner] of winners.entries()) {
          const { run: _run, targeted: _targeted, ...kept } = winner.verdict;
          const decision = ctx.approver ? await ctx.approver({ problem, candidate: winner.candidate, verdict: winner.verdict, diff: winner.base.diff }) : 'accept';
          if (ctx.approver) emit({ type: 'candidate:decision', iteration, problemId: problem.id, candidateId: winner.candidate.id, decision });
          if (decision === 'accept') {
            for (const rest of winners.slice(i + 1)) {
              const { run: _r, targeted: _t, ...restKept } = rest.verdict;
              record({ ...rest.base, outcome: 'not-accepted', reason: `${rest.verdict.summary}; a candidate that fixes more (or the same with a smaller diff) was chosen`, verdict: restKept });
            }
            const outcome = await commitCandidate(ctx, problem, winner, current, iteration);
            record(outcome.attempt);
            if (outcome.commit) return { attempts, commit: outcome.commit, run: winner.verdict.run };
            break;
          }
          record({ ...winner.base, outcome: 'rejected', reason: `${decision === 'reject' ? 'rejected' : decision === 'skip' ? 'problem skipped' : 'run stopped'} by the approver`, verdict: kept });
          if (decision === 'skip') return { attempts };
          if (decision === 'stop') throw new StopRequested();
        }
      }
    } finally {
      await candidates.return?.();
    }
  }
  return { attempts };
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
  const { run: _run, targeted: _targeted, ...kept } = verdict;
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
    return { attempt: { ...base, outcome: 'error', reason, verdict: kept } };
  }
  const commit: CommitRecord = { sha, message, files, problemId: problem.id, candidateId: candidate.id, provider: candidate.provider, iteration };
  ctx.emit({ type: 'fix:committed', iteration, problemId: problem.id, candidateId: candidate.id, sha, message, files });
  return { attempt: { ...base, outcome: 'committed', verdict: kept }, commit };
}
