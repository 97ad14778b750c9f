// The loop's branch is the truth about a run's fixes: a run deletes a branch only when it made it
// and it holds nothing, and a resumed run reads its fixes back from the branch.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop, resumeLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

const FAILING = { name: 'unit', command: 'false', format: 'exit-code' as const };

/** A run killed after its run:start, as its journal and branch show it: nothing else done yet. */
function killedRun(repo: string, runId: string): string {
  const branch = `fixloop/${runId}`;
  const baseSha = sh(repo, 'git', ['rev-parse', 'HEAD']);
  sh(repo, 'git', ['branch', branch, baseSha]);
  const dir = path.join(repo, '.fixloop', 'runs', runId);
  mkdirSync(dir, { recursive: true });
  const start: LoopEvent = { type: 'run:start', runId, at: new Date().toISOString(), cwd: repo, branch, baseSha, maxIterations: 1, policySource: 'SDK options', uncommitted: [], cleaned: { worktrees: [], branches: [] } };
  writeFileSync(path.join(dir, 'journal.jsonl'), `${JSON.stringify(start)}\n`);
  return branch;
}

describe('a run deletes only the branch it made, and only when it holds nothing', () => {
  it('leaves a branch of the user\'s with the loop\'s name as it was, though it holds no commit of its own', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    sh(repo, 'git', ['branch', 'keep/me']);
    const loop = createLoop({ cwd: repo, providers: [], policy: { suites: [FAILING], git: { branch: 'keep/me' } } });
    await expect(loop.result).rejects.toThrow('Branch keep/me already exists: choose another git.branch in the policy or delete it.');
    expect(sh(repo, 'git', ['branch', '--list', 'keep/me'])).toBe('keep/me');
  });

  it('keeps a resumed run\'s branch that holds someone\'s commit, though the run committed no fix', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const branch = killedRun(repo, '20261126-120000-aaaa');
    // While the run was stopped, someone committed on its branch.
    const work = path.join(repo, '..', `${path.basename(repo)}-wt`);
    sh(repo, 'git', ['worktree', 'add', '-q', work, branch]);
    writeFileSync(path.join(work, 'b.txt'), 'b\n');
    sh(work, 'git', ['add', 'b.txt']);
    sh(work, 'git', ['commit', '-qm', 'wip: mine']);
    sh(repo, 'git', ['worktree', 'remove', work]);

    const summary = await resumeLoop({ cwd: repo, providers: [], policy: { suites: [FAILING] } }).result;
    expect([summary.status, summary.commits]).toEqual(['failing', []]);
    expect(sh(repo, 'git', ['log', '--format=%s', `main..${branch}`])).toBe('wip: mine');
  });

  it('deletes a resumed run\'s branch that holds nothing', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const branch = killedRun(repo, '20261126-120000-bbbb');
    const summary = await resumeLoop({ cwd: repo, providers: [], policy: { suites: [FAILING] } }).result;
    expect([summary.status, summary.branch]).toEqual(['failing', '']);
    expect(sh(repo, 'git', ['branch', '--list', branch])).toBe('');
  });
});
