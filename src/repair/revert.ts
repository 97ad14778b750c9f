// The revert provider: when the commit that made a problem's tests fail is known (src/culprit),
// undo it: its hunks in the files on the failing path first (one file, then all of them), then
// the whole commit. Each file is reverted three-way, as `git revert` does, so later edits to it
// stay; a file that does not revert cleanly makes that candidate impossible.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import picomatch from 'picomatch';
import { fileAt } from '../culprit/history.js';
import type { Candidate, Culprit, FileChange, Problem } from '../model.js';
import { candidateIdOf, triedIds } from './candidate.js';
import type { PatchProvider, ProposeContext } from './types.js';

const run = promisify(execFile);
const HEADER_SUBJECT_MAX = 72;

export class RevertProvider implements PatchProvider {
  readonly name = 'revert';
  // git's own three-way merge of committed history: no model, no guessing.
  readonly deterministic = true;

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    const culprit = await ctx.culprit?.();
    if (!culprit || !revertible(culprit, ctx)) return;
    const tried = triedIds(ctx);
    const offered = new Set<string>();
    for (const files of await fileSets(ctx.root, culprit)) {
      if (ctx.signal?.aborted) return;
      const changes = await revertChanges(ctx.root, culprit, files);
      if (!changes) continue;
      const id = candidateIdOf(this.name, changes);
      if (tried.has(id) || offered.has(id)) continue;
      offered.add(id);
      yield revertCandidate(problem, culprit, changes, id);
    }
  }
}

/** Never a merge (which side would be undone?), never a commit that touched tests or the harness. */
export function revertible(culprit: Culprit, ctx: Pick<ProposeContext, 'protect' | 'harness'>): boolean {
  if (culprit.merge) return false;
  const guarded = picomatch([...ctx.protect, ...(ctx.harness ?? [])], { dot: true });
  return !culprit.files.some((f) => guarded(f));
}

/** Each file on the failing path alone (the smallest change first), then all of them, then the whole commit. */
async function fileSets(root: string, culprit: Culprit): Promise<string[][]> {
  const sizes = new Map<string, number>();
  const { stdout } = await run('git', ['diff', '--numstat', '--no-renames', culprit.lastGood, culprit.sha, '--', ...culprit.onPath], { cwd: root });
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [added, removed, file] = line.split('\t');
    sizes.set(file, (Number(added) || 0) + (Number(removed) || 0));
  }
  const single = [...culprit.onPath].sort((a, b) => (sizes.get(a) ?? 0) - (sizes.get(b) ?? 0));
  const sets = [...(single.length > 1 ? single.map((f) => [f]) : []), [...culprit.onPath].sort(), culprit.files].filter((s) => s.length > 0);
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = [...s].sort().join('\0');
    return !seen.has(key) && !!seen.add(key);
  });
}

/** The culprit's change to `files` undone in the checkout at `root`; undefined when one does not revert cleanly or nothing would change. */
export async function revertChanges(root: string, culprit: Culprit, files: string[]): Promise<FileChange[] | undefined> {
  const changes: FileChange[] = [];
  for (const file of files) {
    const current = readOrNull(path.join(root, file));
    const base = await fileAt(root, culprit.sha, file);
    const other = await fileAt(root, culprit.lastGood, file);
    let after: string | null;
    if (current === base) after = other;
    else if (current === null || base === null || other === null) return undefined; // created or deleted since, on one side only
    else {
      const merged = await mergeFile(current, base, other);
      if (merged === undefined) return undefined;
      after = merged;
    }
    if (after !== current) changes.push({ path: file, before: current, after });
  }
  return changes.length ? changes : undefined;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** `git merge-file`: the current text with the change base → other applied; undefined on a conflict. */
async function mergeFile(current: string, base: string, other: string): Promise<string | undefined> {
  if ([current, base, other].some((t) => t.includes('\0'))) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-revert-'));
  try {
    const names = ['current', 'base', 'other'].map((n) => path.join(dir, n));
    [current, base, other].forEach((text, i) => writeFileSync(names[i], text));
    const { stdout } = await run('git', ['merge-file', '-p', '--quiet', ...names], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined; // its exit code is the number of conflicts
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function revertCandidate(problem: Problem, culprit: Culprit, changes: FileChange[], id: string): Candidate {
  const short = culprit.sha.slice(0, 8);
  const files = changes.map((c) => c.path);
  const whole = culprit.files.every((f) => files.includes(f));
  const where = whole ? 'the whole commit' : `its changes to ${files.join(', ')}`;
  const subject = culprit.subject.replace(/^\w+(\([^)]*\))?!?:\s*/, '').trim() || culprit.subject;
  const cause = `commit ${short} "${culprit.subject}" (${culprit.author}, ${culprit.date.slice(0, 10)}) made the tests fail; they passed at its parent ${culprit.lastGood.slice(0, 8)}`;
  return {
    id,
    problemId: problem.id,
    provider: 'revert',
    title: `Revert ${short} "${culprit.subject}": ${where}`,
    rationale: `A revert, not a fix: ${cause}. This undoes ${where}, three-way, keeping later edits to those files.`,
    rootCause: cause,
    patch: { changes },
    commit: {
      type: 'revert',
      subject: subject.length > HEADER_SUBJECT_MAX ? `${subject.slice(0, HEADER_SUBJECT_MAX - 1)}…` : subject,
      body: [
        `This reverts ${whole ? 'commit' : `part of commit`} ${culprit.sha}, "${culprit.subject}".`,
        whole ? '' : `Only its changes to ${files.join(', ')} are undone; its other changes stay.`,
        'It is a revert, not a fix: whatever that commit meant to do needs doing again, without breaking these tests.',
      ].filter(Boolean).join('\n'),
      trailers: [`Reverts: ${culprit.sha}`],
    },
  };
}
