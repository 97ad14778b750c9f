// A run's session: its policy, id, directories, reporters and journal; the lock, the branch and
// the loop's worktree. openSession() checks everything that can be checked before anything is
// touched; lockSession() and beginSession() take the lock and make the branch and worktree;
// closeSession() is the one way out for every ending (the last iteration, an error, an interruption).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Isolation, LoopEvent } from '../model.js';
import { isolationFor, SandboxUnavailableError } from '../sandbox/bwrap.js';
import { redactDeep, secretRedactor } from '../secrets.js';
import { loadPolicy, parsePolicy, type Policy, type PolicyInput } from '../policy/index.js';
import { iterationReporter, summaryReporter, type Reporter } from '../report/reporter.js';
import { addWorktree, branchCommits, cleanStaleState, holdsNothing as branchHoldsNothing, createBranch, describeDependencies, dirtyFiles, excludeLoopState, fastForwardCurrent, git, headSha, pushBranch, removeWorktree, repoRoot } from '../vcs/index.js';
import { pytestPython } from '../runners/python-paths.js';
import { LoopError } from './errors.js';
import { journalFile, journalReporter } from './journal.js';
import { acquireLock, type Lock } from './lock.js';
import type { Emit } from './problem.js';
import { reconcileWithBranch, resumeState, type ResumeState } from './resume.js';
import { relativeInside } from '../paths.js';

export interface SessionOptions {
  cwd: string;
  policy?: PolicyInput;
  policyFile?: string;
  maxIterations?: number;
  worktree?: boolean;
  resume?: ResumeState | true;
  reporters?: Reporter[];
  /** Their formats are ones the policy may name. */
  adapters?: Record<string, unknown>;
}

export interface Session {
  /** The user's repository. */
  root: string;
  policy: Policy;
  policySource: string;
  maxIterations: number;
  resume?: ResumeState;
  runId: string;
  baseSha: string;
  startedAt: string;
  /** Files with uncommitted changes in the user's checkout, left as they are. */
  dirty: string[];
  logDir: string;
  reportDir: string;
  /** The loop's worktree, on `branch`. */
  workDir: string;
  /** How the worktree got what git does not carry (linked node_modules, a virtualenv…), for the reports. */
  dependencies?: string;
  /** What verification runs of candidates execute in (verify.sandbox). */
  isolation: Isolation;
  /** The run's branch; after close(), the branch that holds the fixes. */
  branch: string;
  /** The run made `branch` (or is resuming the run that did): only then may it delete it. */
  ownsBranch?: boolean;
  /** The journal, the iteration reports, the summary, then the caller's. */
  reporters: Reporter[];
  /** Hands the event to every reporter (the journal first), then to the caller's stream. */
  emit: Emit;
}

function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Everything about the run that can be known (and refused: exit code 2) before the repository is touched. */
export async function openSession(options: SessionOptions, push: (e: LoopEvent) => void): Promise<Session> {
  const root = await repoRoot(options.cwd);
  const loaded = options.policy
    ? { policy: parsePolicy(options.policy, '(SDK options)', Object.keys(options.adapters ?? {})), source: 'SDK options' }
    : loadPolicy(root, options.policyFile, Object.keys(options.adapters ?? {}));
  const policy: Policy = loaded.policy;
  const resume = options.resume === true ? resumeState(root) : options.resume;
  if (resume) await reconcileWithBranch(root, resume);
  const baseSha = resume?.baseSha ?? (await headSha(root));
  await excludeLoopState(root, reportExclusion(root, policy.report.dir));
  const dirty = await dirtyFiles(root);
  // A resumed run already works from its own branch: the user's files were never its input.
  if (dirty.length && !options.worktree && !resume) {
    const list = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? `, and ${dirty.length - 10} more` : '');
    throw new LoopError(`Uncommitted changes in ${root}: ${list}. Commit or stash them first, or pass --worktree to test HEAD and leave them as they are.`, 2);
  }

  const runId = resume?.runId ?? newRunId();
  const reportDir = path.resolve(root, policy.report.dir.replaceAll('{runId}', runId));
  const reportRel = path.relative(root, reportDir);
  if (policy.report.commit && (reportRel.startsWith('..') || path.isAbsolute(reportRel))) {
    throw new LoopError(`report.commit needs report.dir inside the repository; ${reportDir} is outside ${root}.`, 2);
  }
  const journal = journalFile(root, runId);
  const reporters = [journalReporter(journal), iterationReporter(reportDir), summaryReporter(reportDir), ...(options.reporters ?? [])];
  const redact = secretRedactor();
  const emit: Emit = (partial) => {
    // What a test printed may hold a secret's value: events are stored (journal) and shown.
    const event = redactDeep({ ...partial, runId, at: new Date().toISOString() }, redact) as LoopEvent;
    for (const r of reporters) r.onEvent?.(event);
    push(event);
  };
  let isolation: Isolation;
  try {
    isolation = isolationFor(policy.verify.sandbox.mode, policy.verify.sandbox.network);
  } catch (err) {
    if (err instanceof SandboxUnavailableError) throw new LoopError(err.message, 2);
    throw err;
  }
  const branchPattern = policy.git.branch === 'current' ? 'fixloop/{runId}' : policy.git.branch;
  await checkBranchName(root, branchPattern.replaceAll('{runId}', runId));
  return {
    root, policy, policySource: loaded.source, maxIterations: options.maxIterations ?? policy.budget.maxIterations, resume, runId, baseSha,
    startedAt: resume?.startedAt ?? new Date().toISOString(),
    dirty,
    logDir: path.join(path.dirname(journal), 'logs'),
    reportDir,
    workDir: path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-run-')), 'work'),
    branch: resume?.branch ?? branchPattern.replaceAll('{runId}', runId),
    isolation,
    reporters,
    emit,
  };
}

/** One loop per repository: takes `.fixloop/lock` (a dead run's lock is taken over, with a warning). */
export function lockSession(session: Session): Lock {
  const lock = acquireLock(session.root, session.runId);
  if (lock.tookOverFrom !== undefined) process.emitWarning(`fixloop: took over the lock of a dead run (pid ${lock.tookOverFrom})`);
  return lock;
}

/** Makes (or, resuming, finds) the run's branch and checks it out in the loop's worktree; run:start or run:resume. Call after lockSession, inside the try that ends with closeSession. */
export async function beginSession(session: Session, commits: number): Promise<void> {
  const { root, runId, branch, workDir, resume, emit, maxIterations } = session;
  mkdirSync(session.logDir, { recursive: true });
  const cleaned = await cleanStaleState(root, branch);
  if (resume) {
    if (!(await git(root).branchLocal()).all.includes(branch)) throw new LoopError(`Run ${runId} cannot be resumed: its branch ${branch} is gone.`, 2);
    session.dependencies = describeDependencies(await addWorktree(root, workDir, branch, { branch: true, python: pytestPython(session.policy.suites, root) }));
    session.ownsBranch = true;
    const recovered = resume.recovered?.length ? { recovered: resume.recovered } : {};
    emit({ type: 'run:resume', branch, maxIterations, iteration: resume.nextIteration, commits, cleaned, ...recovered });
  } else {
    await createBranch(root, branch, session.baseSha);
    session.ownsBranch = true;
    session.dependencies = describeDependencies(await addWorktree(root, workDir, branch, { branch: true, python: pytestPython(session.policy.suites, root) }));
    emit({ type: 'run:start', cwd: root, branch, baseSha: session.baseSha, maxIterations, policySource: session.policySource, uncommitted: session.dirty, cleaned });
  }
}

/**
 * However the run ended: the worktree goes; with fixes, the user's branch is fast-forwarded
 * (git.branch "current") and the branch pushed (git.push); without, the branch goes; the lock is released.
 */
export async function closeSession(session: Session, lock: Lock, commits: number): Promise<void> {
  const { root, policy, emit } = session;
  await removeWorktree(root, session.workDir);
  rmSync(path.dirname(session.workDir), { recursive: true, force: true });
  if (policy.git.branch === 'current' && commits) {
    const current = (await git(root).raw(['branch', '--show-current'])).trim();
    const why = await fastForwardCurrent(root, session.branch, session.baseSha);
    if (why === undefined) {
      await git(root).raw(['branch', '-D', session.branch]);
      emit({ type: 'branch:updated', branch: current, ok: true, message: `fast-forwarded ${current} to the fixes` });
      session.branch = current;
    } else {
      emit({ type: 'branch:updated', branch: current || 'HEAD', ok: false, message: `the fixes stay on ${session.branch}: ${why}` });
    }
  }
  if (policy.git.push && commits) {
    const remote = policy.git.push;
    const branch = session.branch;
    await pushBranch(root, remote, branch).then(
      () => emit({ type: 'push:end', remote, branch, ok: true, message: `pushed ${branch} to ${remote}` }),
      (err: Error) => emit({ type: 'push:end', remote, branch, ok: false, message: err.message.trim() }),
    );
  }
  if (commits === 0 && session.ownsBranch && (await holdsNothing(root, session))) await git(root).raw(['branch', '-D', session.branch]).catch(() => undefined);
  lock.release();
}

/** The run's branch has nothing but what it may throw away (its report commits); a branch git cannot read is kept. */
async function holdsNothing(root: string, session: Session): Promise<boolean> {
  try {
    return branchHoldsNothing(await branchCommits(root, session.baseSha, session.branch), session.runId);
  } catch {
    return false;
  }
}

/** A git.branch git would refuse is a policy error, said before anything is touched. */
async function checkBranchName(root: string, name: string): Promise<void> {
  try {
    await git(root).raw(['check-ref-format', '--branch', name]);
  } catch {
    throw new LoopError(`git.branch "${name}" is not a valid branch name (see git check-ref-format): choose another in the policy.`, 2);
  }
}

/**
 * Reports written inside the repository (report.dir) stay out of `git status`, so they never make
 * the next run refuse a dirty tree or a merge of the loop's branch fail: the folder above the run id.
 */
function reportExclusion(root: string, dir: string): string[] {
  const fixed = path.resolve(root, dir.split('{runId}')[0] || '.');
  const rel = relativeInside(root, dir.includes('{runId}') && !dir.split('{runId}')[0].endsWith('/') ? path.dirname(fixed) : fixed);
  if (!rel || rel === '.fixloop' || rel.startsWith('.fixloop/')) return [];
  return [`/${rel}/`];
}
