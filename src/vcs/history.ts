// What a loop branch holds, read from git itself: a run killed between `git commit` and its
// journal's record of it still left the commit, and its trailers say whose and for what it is.
import { git } from './repo.js';

export interface BranchCommit {
  sha: string;
  /** The full message, as git keeps it. */
  message: string;
  files: string[];
  /** Its trailers (Fixloop-Run, Fixloop-Iteration, Fixloop-Provider, Fixloop-Problem…), the last of each key. */
  trailers: Record<string, string>;
}

const FIELD = '\u001f';
const RECORD = '\u001e';

/** The commits of `branch` that `base` lacks, oldest first. */
export async function branchCommits(root: string, base: string, branch: string): Promise<BranchCommit[]> {
  const g = git(root);
  const log = await g.raw(['log', '--reverse', `--format=%H${FIELD}%B${FIELD}%(trailers:only,unfold)${RECORD}`, `${base}..refs/heads/${branch}`, '--']);
  const commits: BranchCommit[] = [];
  for (const record of log.split(RECORD)) {
    const [sha, message, trailerText] = record.replace(/^\n/, '').split(FIELD);
    if (!sha || message === undefined) continue;
    const trailers: Record<string, string> = {};
    for (const line of (trailerText ?? '').split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) trailers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    const files = (await g.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', sha])).split('\n').filter(Boolean);
    commits.push({ sha: sha.trim(), message, files, trailers });
  }
  return commits;
}

/** A fix a run committed (not one of its report commits, not someone else's commit): it names its provider. */
export function isRunFix(commit: BranchCommit, runId: string): boolean {
  return commit.trailers['Fixloop-Run'] === runId && commit.trailers['Fixloop-Provider'] !== undefined;
}

/** Only the run's own report commits, or nothing at all: the branch holds no work worth keeping. */
export function holdsNothing(commits: BranchCommit[], runId: string): boolean {
  return commits.every((c) => c.trailers['Fixloop-Run'] === runId && c.trailers['Fixloop-Provider'] === undefined);
}
