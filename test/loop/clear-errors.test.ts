// Mistakes in a policy or a repository are the user's to fix: each is one clear error (exit code 2
// through LoopError/PolicyError), said before anything is touched — never an internal error.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { acquireLock, processStart } from '../../src/loop/lock.js';
import { createLoop, LoopError } from '../../src/loop/index.js';
import { parsePolicy, PolicyError } from '../../src/policy/index.js';
import { makeRepo, makeVitestRepo, sh } from '../helpers/git-repo.js';
import { COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

const SUITE = { name: 'unit', command: 'true', format: 'exit-code' as const };

describe('clear errors for a policy that cannot work', () => {
  it('refuses a timeoutSec beyond what a timer can hold, and a suite cwd outside the repository', () => {
    expect(() => parsePolicy({ suites: [{ ...SUITE, timeoutSec: 99_999_999, cwd: '../..' }] }, 'loop.policy.json')).toThrow(
      new PolicyError(
        'Invalid policy loop.policy.json:\n  - suites.0.timeoutSec: at most 2147483 seconds (about 24 days)\n  - suites.0.cwd: must be a directory inside the repository, relative to its root',
      ),
    );
    expect(() => parsePolicy({ suites: [{ ...SUITE, cwd: '/etc' }] }, 'p.json')).toThrow(/suites\.0\.cwd: must be a directory inside the repository/);
    expect(parsePolicy({ suites: [{ ...SUITE, cwd: 'packages/a/../b' }] }, 'p.json').suites[0].cwd).toBe('packages/a/../b');
  });

  it('refuses a git.branch git would not take, before touching the repository', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const loop = createLoop({ cwd: repo, policy: { suites: [SUITE], git: { branch: 'bad..name' } } });
    await expect(loop.result).rejects.toEqual(new LoopError('git.branch "bad..name" is not a valid branch name (see git check-ref-format): choose another in the policy.', 2));
    expect(sh(repo, 'git', ['branch', '--list']).trim()).toBe('* main');
  });
});

describe('the lock', () => {
  it('records its owner\'s start time, and takes over a lock whose pid now belongs to another process', () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const file = path.join(repo, '.fixloop', 'lock');
    const first = acquireLock(repo, 'run-1');
    expect(() => acquireLock(repo, 'run-2')).toThrow(/Another fixloop run \(run-1, pid \d+\) is working on/);
    first.release();
    // This very process, but "started" at another time: the pid was reused by someone else.
    acquireLock(repo, 'run-3');
    writeFileSync(file, JSON.stringify({ pid: process.pid, started: '1', runId: 'run-3', at: '' }));
    const taken = acquireLock(repo, 'run-4');
    expect(taken.tookOverFrom).toBe(process.pid);
    expect(processStart(process.pid)).toMatch(/^\d+$/);
    taken.release();
  });
});

describe('the user\'s tree and machine stay theirs', () => {
  it('reports written inside the repository stay out of git status, the next run starts, and no temp folder is left', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'fixloop-own-tmp-'));
    vi.stubEnv('TMPDIR', tmp);
    try {
      const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, report: { dir: 'reports/{runId}', commit: true } });
      const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
      const first = await createLoop({ cwd: repo, providers: [scripted('fix', { 'src/counter.ts': COUNTER_FIXED })] }).result;
      expect(first.status).toBe('green');
      expect(existsSync(path.join(repo, 'reports', first.runId, 'iteration-1.md'))).toBe(true);
      expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
      expect(readdirSync(tmp).filter((name) => !name.startsWith('fixloop-repo-'))).toEqual([]);
      const second = await createLoop({ cwd: repo, providers: [] }).result;
      expect(second.status).toBe('failing');
      expect(sh(repo, 'git', ['merge', '--no-edit', '-q', first.branch])).toBe('');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
