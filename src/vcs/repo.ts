import { existsSync, mkdirSync, readFileSync, appendFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { provideDependencies, type ProvidedDependencies } from './dependencies.js';

/** The directory is not something the loop can work in. Exit code 2. */
export class RepoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepoError';
  }
}

export function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, trimmed: true });
}

/** The repository root containing cwd, or a RepoError that says what to do. */
export async function repoRoot(cwd: string): Promise<string> {
  if (!existsSync(cwd)) throw new RepoError(`Directory not found: ${cwd}`);
  try {
    const top = await git(cwd).revparse(['--show-toplevel']);
    return realpathSync(top);
  } catch {
    throw new RepoError(`${cwd} is not inside a git repository: run \`git init\` and commit your code first.`);
  }
}

export async function headSha(dir: string): Promise<string> {
  try {
    return await git(dir).revparse(['HEAD']);
  } catch {
    throw new RepoError(`The repository at ${dir} has no commits yet: commit your code first, fixloop works from HEAD.`);
  }
}

/** Files with uncommitted changes (staged, unstaged or untracked), as git prints them. */
export async function dirtyFiles(dir: string): Promise<string[]> {
  const status = await git(dir).status(['--untracked-files=all']);
  return status.files.map((f) => f.path).sort();
}

/** Lists `.fixloop/` in .git/info/exclude so the loop's state never shows in `git status`. */
export async function excludeLoopState(root: string, more: string[] = []): Promise<void> {
  const rel = await git(root).revparse(['--git-path', 'info/exclude']);
  const file = path.resolve(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = new Set(text.split('\n').map((line) => line.trim()));
  if (lines.has('.fixloop/')) lines.add('/.fixloop/');
  const missing = ['/.fixloop/', ...more].filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return;
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}# fixloop state\n${missing.join('\n')}\n`);
}

export async function createBranch(root: string, branch: string, from: string): Promise<void> {
  const existing = await git(root).branchLocal();
  if (existing.all.includes(branch)) throw new RepoError(`Branch ${branch} already exists: choose another git.branch in the policy or delete it.`);
  await git(root).raw(['branch', branch, from]);
}

/**
 * A worktree of `ref` whose dependencies resolve as in the checkout (see provideDependencies):
 * returns how they were provided, for the reports.
 */
/**
 * git's worktree bookkeeping (.git/worktrees/<name>) is not safe against itself: a second
 * `worktree add` while the first is writing its entry reads it half-made ("failed to read
 * .git/worktrees/tree1/commondir"). Verifications add worktrees in parallel, so the repository's
 * worktree commands go one at a time.
 */
const worktreeQueues = new Map<string, Promise<unknown>>();

function oneAtATime<T>(root: string, task: () => Promise<T>): Promise<T> {
  const key = path.resolve(root);
  const run = (worktreeQueues.get(key) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => undefined);
  worktreeQueues.set(key, settled);
  void settled.then(() => {
    if (worktreeQueues.get(key) === settled) worktreeQueues.delete(key);
  });
  return run;
}

export async function addWorktree(root: string, dir: string, ref: string, opts: { branch?: boolean; python?: string } = {}): Promise<ProvidedDependencies> {
  mkdirSync(path.dirname(dir), { recursive: true });
  const args = opts.branch ? ['worktree', 'add', dir, ref] : ['worktree', 'add', '--detach', dir, ref];
  await oneAtATime(root, () => git(root).raw(args));
  return provideDependencies(root, dir, { python: opts.python });
}

export async function removeWorktree(root: string, dir: string): Promise<void> {
  await oneAtATime(root, async () => {
    try {
      await git(root).raw(['worktree', 'remove', '--force', dir]);
    } catch {
      // Already gone (or never fully created): prune whatever git still records.
    }
    await git(root).raw(['worktree', 'prune']);
  });
}

/** Stages exactly the given files (never `add -A`: linked node_modules would be swept in) and commits. */
export async function commitFiles(dir: string, files: string[], message: string, author?: { name: string; email: string }, opts: { force?: boolean } = {}): Promise<string> {
  const g = git(dir);
  // force: files under an excluded folder (.fixloop/) that the policy asks to commit.
  await g.raw(['add', '--all', ...(opts.force ? ['--force'] : []), '--', ...files]);
  // The policy's identity first; else the repository's; a repository with none still gets its fix.
  const who = author ?? ((await hasIdentity(dir)) ? undefined : { name: 'fixloop', email: 'fixloop@localhost' });
  const identity = who ? ['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`] : [];
  try {
    // Hooks run as they would for the user: a failing pre-commit hook is reported, never bypassed.
    await g.raw([...identity, 'commit', '--quiet', '-m', message]);
  } catch (err) {
    await g.raw(['reset', '--quiet', 'HEAD', '--', ...files]).catch(() => undefined);
    throw new RepoError(`git commit failed (a hook or the repository refused it): ${(err as Error).message.trim().split('\n').slice(-10).join('\n')}`);
  }
  return g.revparse(['HEAD']);
}

/** Puts files back as HEAD has them (deleting those HEAD does not have): undoes an applied patch. */
export async function restoreFiles(dir: string, files: string[]): Promise<void> {
  const g = git(dir);
  const tracked = (await g.raw(['ls-tree', '--name-only', 'HEAD', '--', ...files])).split('\n').filter(Boolean);
  if (tracked.length) await g.raw(['checkout', 'HEAD', '--', ...tracked]);
  for (const f of files) if (!tracked.includes(f)) rmSync(path.join(dir, f), { force: true });
}

/**
 * Moves the user's checked-out branch forward to `target` (git.branch "current"), only when that
 * is a pure fast-forward of an untouched checkout: HEAD still at `expected`, on a branch, with a
 * clean index and working tree. Returns why it did not, or undefined when it did.
 */
export async function fastForwardCurrent(root: string, target: string, expected: string): Promise<string | undefined> {
  const g = git(root);
  const branch = (await g.raw(['branch', '--show-current'])).trim();
  if (!branch) return 'HEAD is detached';
  if ((await headSha(root)) !== expected) return `${branch} moved during the run`;
  const dirty = await dirtyFiles(root);
  if (dirty.length) return `the working tree has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''})`;
  try {
    await g.raw(['merge', '--ff-only', '--quiet', target]);
  } catch (err) {
    return `git merge --ff-only failed: ${(err as Error).message.trim()}`;
  }
  return undefined;
}

/** Pushes one branch, never forced. */
export async function pushBranch(root: string, remote: string, branch: string): Promise<void> {
  await git(root).raw(['push', '--quiet', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
}

/**
 * Worktrees a crashed run left (its temp folders fixloop-run-* / fixloop-verify-*) and loop
 * branches that hold no fix (their tip is already in HEAD's history): removed on the next start.
 * Branches with fixes are kept: they are verified work.
 */
export async function cleanStaleState(root: string, keepBranch?: string): Promise<{ worktrees: string[]; branches: string[] }> {
  const g = git(root);
  const worktrees: string[] = [];
  for (const line of (await g.raw(['worktree', 'list', '--porcelain'])).split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const dir = line.slice('worktree '.length);
    if (/[\\/]fixloop-(run|verify)-[^\\/]+[\\/](work|tree)$/.test(dir)) {
      await removeWorktree(root, dir);
      // The temp folder fixloop made around it (mkdtemp), with the sandbox's tmp beside the tree.
      rmSync(path.dirname(dir), { recursive: true, force: true });
      worktrees.push(dir);
    }
  }
  await g.raw(['worktree', 'prune']);
  const branches: string[] = [];
  const current = (await g.raw(['branch', '--show-current'])).trim();
  for (const branch of (await g.branchLocal()).all.filter((b) => b.startsWith('fixloop/') && b !== keepBranch && b !== current)) {
    // Not `merge-base --is-ancestor`: it answers by exit code alone, which simple-git does not treat as failure.
    const ownCommits = Number((await g.raw(['rev-list', '--count', `HEAD..refs/heads/${branch}`])).trim());
    if (ownCommits === 0) {
      await g.raw(['branch', '-D', branch]);
      branches.push(branch);
    }
  }
  return { worktrees, branches };
}

async function hasIdentity(dir: string): Promise<boolean> {
  const g = git(dir);
  const email = await g.raw(['config', '--get', 'user.email']).catch(() => '');
  return email.trim() !== '';
}
