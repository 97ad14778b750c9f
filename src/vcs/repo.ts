import { existsSync, mkdirSync, readFileSync, appendFileSync, symlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

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
export async function excludeLoopState(root: string): Promise<void> {
  const rel = await git(root).revparse(['--git-path', 'info/exclude']);
  const file = path.resolve(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split('\n').some((line) => line.trim() === '/.fixloop/' || line.trim() === '.fixloop/')) return;
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}# fixloop state\n/.fixloop/\n`);
}

export async function createBranch(root: string, branch: string, from: string): Promise<void> {
  const existing = await git(root).branchLocal();
  if (existing.all.includes(branch)) throw new RepoError(`Branch ${branch} already exists: choose another git.branch in the policy or delete it.`);
  await git(root).raw(['branch', branch, from]);
}

/** Dependency folders a worktree needs but git does not carry: linked, never copied or installed. */
const LINKED_DEPENDENCIES = ['node_modules', '.venv', 'venv'];

export async function addWorktree(root: string, dir: string, ref: string, opts: { branch?: boolean } = {}): Promise<void> {
  mkdirSync(path.dirname(dir), { recursive: true });
  const args = opts.branch ? ['worktree', 'add', dir, ref] : ['worktree', 'add', '--detach', dir, ref];
  await git(root).raw(args);
  for (const name of LINKED_DEPENDENCIES) {
    const source = path.join(root, name);
    if (existsSync(source) && !existsSync(path.join(dir, name))) symlinkSync(source, path.join(dir, name), 'dir');
  }
}

export async function removeWorktree(root: string, dir: string): Promise<void> {
  try {
    await git(root).raw(['worktree', 'remove', '--force', dir]);
  } catch {
    // Already gone (or never fully created): prune whatever git still records.
  }
  await git(root).raw(['worktree', 'prune']);
}

/** Stages exactly the given files (never `add -A`: linked node_modules would be swept in) and commits. */
export async function commitFiles(dir: string, files: string[], message: string): Promise<string> {
  const g = git(dir);
  await g.raw(['add', '--all', '--', ...files]);
  // A repository without a configured identity still gets its fix; the author says who made it.
  const identity = (await hasIdentity(dir)) ? [] : ['-c', 'user.name=fixloop', '-c', 'user.email=fixloop@localhost'];
  await g.raw([...identity, 'commit', '--quiet', '-m', message]);
  return g.revparse(['HEAD']);
}

async function hasIdentity(dir: string): Promise<boolean> {
  const g = git(dir);
  const email = await g.raw(['config', '--get', 'user.email']).catch(() => '');
  return email.trim() !== '';
}
