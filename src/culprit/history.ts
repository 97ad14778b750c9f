// What the repository's history says about a commit: the first-parent line a culprit is searched
// on, and who changed what, when.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { git } from '../vcs/index.js';

const run = promisify(execFile);

export interface CommitInfo {
  sha: string;
  subject: string;
  author: string;
  date: string;
  parents: string[];
  /** Every file it changed against its first parent (both sides of a rename). */
  files: string[];
}

/** `head` and up to `max` of its first-parent ancestors, newest first. */
export async function firstParents(dir: string, head: string, max: number): Promise<string[]> {
  const out = await git(dir).raw(['rev-list', '--first-parent', `--max-count=${max + 1}`, head]);
  return out.split('\n').filter(Boolean);
}

const SEP = '\u001f';

export async function commitInfo(dir: string, sha: string): Promise<CommitInfo> {
  const g = git(dir);
  const [full, subject, author, date, parents] = (await g.raw(['show', '-s', `--format=%H${SEP}%s${SEP}%an <%ae>${SEP}%aI${SEP}%P`, sha])).trim().split(SEP);
  const parentList = parents ? parents.split(' ').filter(Boolean) : [];
  // Against the first parent: a merge's own change is what it brought onto the first-parent line.
  const range = parentList.length ? [parentList[0], full] : ['--root', full];
  const names = await g.raw(['diff-tree', '-r', '--no-commit-id', '--name-only', '--no-renames', ...range]);
  return { sha: full, subject, author, date, parents: parentList, files: [...new Set(names.split('\n').filter(Boolean))].sort() };
}

/** The files of `paths` that exist at commit `sha`. */
export async function existingAt(dir: string, sha: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const out = await git(dir).raw(['ls-tree', '-r', '--name-only', sha, '--', ...paths]);
  return new Set(out.split('\n').filter(Boolean));
}

/** A file's text at a commit, or null when the commit does not have it. */
export async function fileAt(dir: string, sha: string, file: string): Promise<string | null> {
  if (!(await existingAt(dir, sha, [file])).has(file)) return null;
  // Not simple-git: it trims output, and a file's last newline is part of it.
  return (await run('git', ['show', `${sha}:${file}`], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** Every file tracked at `sha`. */
export async function trackedFiles(dir: string, sha: string): Promise<Set<string>> {
  const out = await git(dir).raw(['ls-tree', '-r', '--name-only', sha]);
  return new Set(out.split('\n').filter(Boolean));
}
