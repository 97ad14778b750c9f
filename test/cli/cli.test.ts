import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, demoRepo, makeVitestRepo, sh } from '../helpers/git-repo.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function fixloop(cwd: string, args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const ONE_SUITE = (command: string) => JSON.stringify({ suites: [{ name: 'unit', command, timeoutSec: 60 }] });

describe('fixloop run', () => {
  it('--json prints one event per line on stdout, ending with run:end; progress goes to stderr; exit 0 when green', async () => {
    const repo = demoRepo();
    const { code, stdout, stderr } = await fixloop(repo, ['run', '--json']);
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events[0].type).toBe('run:start');
    const end = events[events.length - 1];
    expect(end.type).toBe('run:end');
    expect(end.status).toBe('green');
    expect(end.commits).toHaveLength(1);
    expect(end.commits[0].message.split('\n')[0]).toBe('fix(env): import missing parseBoolean in readEnv()');
    expect(end.commits[0].files).toEqual(['src/shared/isolated-environment.ts']);
    expect(end.totalsBefore).toEqual({ tests: 3, passed: 3, failed: 0, skipped: 0, loadErrors: 4 });
    expect(end.totalsAfter).toEqual({ tests: 30, passed: 30, failed: 0, skipped: 0, loadErrors: 0 });
    expect(end.reports.map((r: string) => path.basename(r))).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html']);
    expect(sh(repo, 'git', ['rev-parse', end.branch])).toBe(end.commits[0].sha);
    expect(stderr).toContain('committed ');
    expect(stderr).toContain('run ended: green (green)');
  });

  it('exits 130 on SIGINT after finishing the step, leaving no worktree behind', async () => {
    const repo = demoRepo();
    const child = spawn(process.execPath, [BIN, 'run'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('candidate ') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('fixloop: interrupted; finishing the current step and writing the report');
    expect(stderr).toContain('run ended: interrupted (interrupted)');
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
  });

  it('exits 2 outside a git repository', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-cli-'));
    const { code, stderr } = await fixloop(dir, ['run']);
    expect(code).toBe(2);
    expect(stderr).toBe(`fixloop: ${dir} is not inside a git repository: run \`git init\` and commit your code first.\n`);
  });

  it('exits 2 on a malformed policy, naming the field', async () => {
    const repo = makeVitestRepo({ 'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: -1 }] }) });
    const { code, stderr } = await fixloop(repo, ['run']);
    expect(code).toBe(2);
    expect(stderr).toBe('fixloop: Invalid policy loop.policy.json:\n  - suites.0.timeoutSec: Too small: expected number to be >0\n');
  });

  it('exits 2 on a dirty working tree without touching it', async () => {
    const repo = makeVitestRepo({ 'loop.policy.json': ONE_SUITE('npx vitest run'), 'a.txt': 'a\n' });
    writeFileSync(path.join(repo, 'a.txt'), 'edited\n');
    const { code, stderr } = await fixloop(repo, ['run']);
    expect(code).toBe(2);
    expect(stderr).toContain('Uncommitted changes in ');
    expect(stderr).toContain(': a.txt. Commit or stash them first');
    expect(readFileSync(path.join(repo, 'a.txt'), 'utf8')).toBe('edited\n');
  });

  it('exits 3 when the suite command does not exist, naming the command and showing its output', async () => {
    const repo = makeVitestRepo({ 'loop.policy.json': ONE_SUITE('no-such-test-runner --all') });
    const { code, stderr } = await fixloop(repo, ['run']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/suite unit: not run — .*no-such-test-runner/);
    expect(stderr).toMatch(/no-such-test-runner: (command )?not found/);
    expect(stderr).toContain('run ended: blocked (blocked)');
  });

  it.each([
    [['run', '--max-iterations', 'zero'], 'fixloop: --max-iterations must be a positive whole number, not "zero"'],
    [['run', '--bogus'], "fixloop: Unknown option '--bogus'"],
    [['launch'], 'fixloop: unknown command "launch"'],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const { code, stderr } = await fixloop(tmpdir(), args);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain('Usage: fixloop <command> [options]');
  });
});
