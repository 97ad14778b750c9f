import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    // Live progress is in the stream, read from vitest's output as files end, and not in the journal.
    const progress = events.filter((e) => e.type === 'suite:progress');
    expect(progress.length).toBeGreaterThan(0);
    // A file that fails to load ends as "(0 test)": the first event may count no test yet.
    expect(progress.every((e) => e.suite === 'all' && e.files >= 1 && e.tests >= 0)).toBe(true);
    const journal = readFileSync(path.join(repo, '.fixloop/runs', end.runId, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain('suite:progress');
    expect(journal.trim().split('\n')).toHaveLength(events.length - progress.length);
    expect(stderr).toContain('committed ');
    expect(stderr).toContain('run ended: green (green)');
    expect(stderr).not.toContain('\x1b[K'); // no live status line when stderr is not a terminal
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

  it.each([
    ['SIGTERM', 143, 'fixloop: terminated (SIGTERM); finishing the current step and writing the report'],
    ['SIGHUP', 129, 'fixloop: hung up (SIGHUP); finishing the current step and writing the report'],
  ] as const)('exits %s → %i the same way: reports written, no worktree, lock or branch left', async (signal, exit, said) => {
    const repo = demoRepo();
    const child = spawn(process.execPath, [BIN, 'run'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('candidate ') && !child.killed) child.kill(signal);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(exit);
    expect(stderr).toContain(said);
    expect(stderr).toContain('run ended: interrupted (interrupted)');
    expect(stderr).toMatch(/reports: .*\.fixloop\/runs\//);
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
  });

  it('stops cleanly when its reader goes away (`fixloop run --json | head -1`): exit 141, nothing left behind', async () => {
    const repo = demoRepo();
    const child = spawn(process.execPath, [BIN, 'run', '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(141);
    expect(stderr).toContain('fixloop: output closed (EPIPE); finishing the current step and writing the report');
    expect(stderr).not.toContain('    at ');
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
  });

  it.each([['help', 'run'], ['--help'], ['--version']])('`fixloop %s` into a closed pipe ends quietly, without a stack', async (...args) => {
    const repo = demoRepo();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
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
    [['run', '--bogus'], "fixloop: unknown option '--bogus'"],
    [['run', '--jsn'], "fixloop: unknown option '--jsn' (did you mean --json?)"],
    [['status', '--supervised'], "fixloop: unknown option '--supervised'"],
    [['launch'], "fixloop: unknown command 'launch'"],
    [['rn'], "fixloop: unknown command 'rn' (did you mean run?)"],
    [['run', '--record', 'a', '--replay', 'b'], "fixloop: option '--record <dir>' cannot be used with option '--replay <dir>'"],
  ])('exits 2 on the usage error %j, in one line', async (args, message) => {
    const { code, stderr } = await fixloop(tmpdir(), args);
    expect(code).toBe(2);
    expect(stderr).toBe(`${message}\n`);
  });
});

const FAILING = {
  'package.json': '{"type":"module"}\n',
  'loop.policy.json': ONE_SUITE('npx vitest run'),
  'src/price.ts': 'export const total = (a: number, b: number) => a + b + 1;\n',
  'test/price.test.ts': "import { expect, it } from 'vitest';\nimport { total } from '../src/price';\nit('adds', () => { expect(total(1, 2)).toBe(3); });\nit('adds zero', () => { expect(total(0, 0)).toBe(1); });\n",
};

function fixloopWithInput(cwd: string, args: string[], input: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

describe('fixloop run --supervised', () => {
  it('shows the verified candidate with its diff and commits it on "a"; an unknown answer is asked again', async () => {
    const repo = demoRepo();
    const { code, stderr } = await fixloopWithInput(repo, ['run', '--supervised'], 'yes\na\n');
    expect(code).toBe(0);
    expect(stderr).toContain('candidate: Update import from "./parse.js" (codefix)');
    expect(stderr).toContain("+import { parseBoolean, parseInteger } from './parse.js';");
    expect(stderr).toContain('"yes" is not one of a, r, s, t (Enter accepts, ? explains)');
    expect(stderr).toContain('decision: accept');
    expect(stderr).toContain('run ended: green (green)');
  });

  it('explains the choices on "?" and takes Enter as the default, accept', async () => {
    const repo = demoRepo();
    const { code, stderr } = await fixloopWithInput(repo, ['run', '--supervised'], '?\n\n');
    expect(code).toBe(0);
    expect(stderr).toContain('[A]ccept, [r]eject, [s]kip problem, s[t]op, [?] help: ');
    expect(stderr).toContain('a  accept: commit this fix (the default: Enter)\nr  reject:');
    expect(stderr).toContain('decision: accept');
    expect(stderr).not.toMatch(/\u001b\[/);
  });

  it('stops without committing on "t", and when stdin ends without an answer', async () => {
    for (const input of ['t\n', '']) {
      const repo = demoRepo();
      const { code, stderr } = await fixloopWithInput(repo, ['run', '--supervised'], input);
      expect(code).toBe(130);
      expect(stderr).toContain('run ended: interrupted (stopped)');
      expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*'])).toBe('');
    }
  });
});

describe('fixloop init', () => {
  it('writes loop.policy.json at the repository root saying what it found (exit 0), then refuses to overwrite it (exit 2)', async () => {
    const repo = makeVitestRepo({ 'package.json': JSON.stringify({ scripts: { test: 'vitest run' } }), 'src/a.ts': 'export {};\n' });
    const first = await fixloop(path.join(repo, 'src'), ['init']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      `package manager: npm, from no lockfile\nsuite "test": \`npm test\` → vitest, from package.json script "test": "vitest run"\nwrote ${path.join(repo, 'loop.policy.json')}\n`,
    );
    expect(JSON.parse(readFileSync(path.join(repo, 'loop.policy.json'), 'utf8')).suites).toEqual([{ name: 'test', command: 'npm test', format: 'vitest', timeoutSec: 600 }]);
    const again = await fixloop(repo, ['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`fixloop: ${path.join(repo, 'loop.policy.json')} already exists; pass --force to replace it, or --check to try it.\n`);
  });

  it('--check tries the existing policy without rewriting it: exit 3 when a suite cannot run', async () => {
    const policy = ONE_SUITE('no-such-runner --all');
    const repo = makeVitestRepo({ 'package.json': '{}', 'loop.policy.json': policy });
    const { code, stdout, stderr } = await fixloop(repo, ['init', '--check']);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(`checking the existing ${path.join(repo, 'loop.policy.json')} (--force rewrites it)`);
    expect(lines[1]).toMatch(/^check FAILED "unit": blocked: Suite "unit" \(`no-such-runner --all`\): command not found: no-such-runner\./);
    expect(stderr.endsWith('the policy does not work yet: fix the suites above in loop.policy.json\n')).toBe(true);
    expect(readFileSync(path.join(repo, 'loop.policy.json'), 'utf8')).toBe(policy);
  });
});

describe('fixloop status, report and --worktree', () => {
  it('status and report describe the last run from its journal; an unknown run id is a usage error', async () => {
    const repo = makeVitestRepo(FAILING);
    expect((await fixloop(repo, ['status'])).stderr).toBe(`fixloop: No fixloop run found in ${repo}: start one with \`fixloop run\`.\n`);
    const run = await fixloop(repo, ['run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('run ended: failing (nothing-fixable); 1 passed, 1 failed → 1 passed, 1 failed');

    const status = await fixloop(repo, ['status']);
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run \d{8}-\d{6}-[0-9a-f]{4}: finished \(failing, nothing-fixable\)$/);
    expect(lines.slice(2, 6)).toEqual([
      '  iteration 1; 1 problem found in it',
      '  candidates: 0 proposed, 0 rejected by guards, 0 verified',
      '  tests: 1 passed, 1 failed → 1 passed, 1 failed',
      '  fixes: 0',
    ]);

    const json = JSON.parse((await fixloop(repo, ['status', '--json'])).stdout);
    expect(json).toMatchObject({ state: 'finished', status: 'failing', stopReason: 'nothing-fixable', iteration: 1, problems: 1, commits: [] });

    const report = await fixloop(repo, ['report']);
    expect(report.code).toBe(0);
    expect(report.stdout.startsWith(`# fixloop run ${json.runId}\n\nThe run ended not green after 1 iteration because no provider offered a candidate`)).toBe(true);
    expect(report.stderr).toContain('summary.html');

    const unknown = await fixloop(repo, ['report', '--run', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No run nope in ');
  });

  it('--worktree runs on a dirty tree, tests HEAD, and leaves the uncommitted files byte for byte', async () => {
    const repo = makeVitestRepo(FAILING);
    writeFileSync(path.join(repo, 'src/price.ts'), 'export const total = (a: number, b: number) => a + b;\n');
    writeFileSync(path.join(repo, 'scratch.md'), 'notes\n');
    const { code, stderr } = await fixloop(repo, ['run', '--worktree']);
    expect(code).toBe(1); // HEAD still has the bug: the uncommitted fix is not what is tested
    expect(stderr).toContain('testing HEAD; 2 files with uncommitted changes left as they are');
    expect(readFileSync(path.join(repo, 'src/price.ts'), 'utf8')).toBe('export const total = (a: number, b: number) => a + b;\n');
    expect(readFileSync(path.join(repo, 'scratch.md'), 'utf8')).toBe('notes\n');
    expect(sh(repo, 'git', ['status', '--porcelain']).split('\n').map((l) => l.trim()).sort()).toEqual(['?? scratch.md', 'M src/price.ts']);
    expect(sh(repo, 'git', ['diff', '--cached', '--name-only'])).toBe(''); // the index too
  });
});
