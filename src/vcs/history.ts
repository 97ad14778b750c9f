// What a loop branch holds, read from git itself: a run killed between `git commit` and its
// journal's record of it still left the commit, and its trailers say whose and for what it is.
import { execFileSync } from 'node:child_process';
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

function logArgs(base: string, branch: string): string[] {
  return ['log', '--reverse', '--name-only', `--format=${RECORD}%H${FIELD}%B${FIELD}%(trailers:only,unfold)${FIELD}`, `${base}..refs/heads/${branch}`, '--'];
}

/** `git log` of logArgs: per commit its sha, message, trailers, then the files it changed. */
function parseLog(log: string): BranchCommit[] {
  const commits: BranchCommit[] = [];
  for (const record of log.split(RECORD).slice(1)) {
    const [sha, message, trailerText, fileText] = record.split(FIELD);
    const trailers: Record<string, string> = {};
    for (const line of trailerText.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) trailers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    commits.push({ sha: sha.trim(), message, files: fileText.split('\n').filter(Boolean), trailers });
  }
  return commits;
}

/** The commits of `branch` that `base` lacks, oldest first. */
export async function branchCommits(root: string, base: string, branch: string): Promise<BranchCommit[]> {
  return parseLog(await git(root).raw(logArgs(base, branch)));
}

/** branchCommits for a caller that cannot wait (`fixloop status`); none when git cannot say. */
export function branchCommitsSync(root: string, base: string, branch: string): BranchCommit[] {
  try {
    return parseLog(execFileSync('git', logArgs(base, branch), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return [];
  }
}

/** A fix a run committed (not one of its report commits, not someone else's commit): it names its provider. */
export function isRunFix(commit: BranchCommit, runId: string): boolean {
  return commit.trailers['Fixloop-Run'] === runId && commit.trailers['Fixloop-Provider'] !== undefined;
}

/** Only the run's own report commits, or nothing at all: the branch holds no work worth keeping. */
export function holdsNothing(commits: BranchCommit[], runId: string): boolean {
  return commits.every((c) => c.trailers['Fixloop-Run'] === runId && c.trailers['Fixloop-Provider'] === undefined);
}
