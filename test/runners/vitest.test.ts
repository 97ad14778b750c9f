import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { VitestAdapter, vitestCommand } from '../../src/runners/vitest/adapter.js';
import { isAlive, tmpProject } from './projects.js';

const adapter = new VitestAdapter();
const suite = (command: string, extra: Partial<SuiteConfig> = {}): SuiteConfig => ({
  name: 'unit',
  command,
  format: 'vitest',
  timeoutSec: 60,
  ...extra,
});

const dirs: string[] = [];
const project = (caseName?: string): string => {
  const dir = tmpProject(caseName);
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for vitest: writes `report` where --outputFile.json points, prints `output`, exits with `code`. */
function fakeRunner(dir: string, report: unknown, output: string, code: number): string {
  const script = `
    const arg = process.argv.find((a) => a.startsWith('--outputFile.json='));
    const report = ${JSON.stringify(report)};
    if (report && arg) require('node:fs').writeFileSync(arg.slice('--outputFile.json='.length), JSON.stringify(report).replaceAll('<ROOT>', process.cwd()));
    process.stdout.write(${JSON.stringify(output)});
    process.exit(${code});`;
  writeFileSync(path.join(dir, 'fake-vitest.cjs'), script);
  return 'node fake-vitest.cjs';
}

describe('vitestCommand', () => {
  it('adds the JSON and default reporters and task locations', () => {
    expect(vitestCommand('npx vitest run', '/tmp/r.json')).toBe(
      'npx vitest run --reporter=json --outputFile.json=/tmp/r.json --reporter=default --includeTaskLocation',
    );
  });

  it('shell-quotes files and the report path, and passes when a filter matches nothing', () => {
    expect(vitestCommand('npx vitest run', "/tmp/my dir/r.json", ['test/a.test.ts', "test/it's.test.ts"])).toBe(
      "npx vitest run --reporter=json --outputFile.json='/tmp/my dir/r.json' --reporter=default --includeTaskLocation --passWithNoTests test/a.test.ts 'test/it'\\''s.test.ts'",
    );
  });

  it('forwards arguments through npm scripts with "--", once', () => {
    expect(vitestCommand('npm test', '/r.json')).toMatch(/^npm test -- --reporter=json /);
    expect(vitestCommand('npm run test:unit', '/r.json')).toMatch(/^npm run test:unit -- --reporter=json /);
    expect(vitestCommand('npm run test:unit -- --silent', '/r.json')).toMatch(/^npm run test:unit -- --silent --reporter=json /);
    expect(vitestCommand('pnpm vitest run', '/r.json')).toMatch(/^pnpm vitest run --reporter=json /);
  });
});

describe('VitestAdapter with real vitest', () => {
  it('runs a project and reads tests, load failures and totals', async () => {
    const dir = project('missing-export');
    const logFile = path.join(dir, 'logs', 'unit.log');
    const run = await adapter.run(suite('npx vitest run'), { cwd: dir, logFile });
    expect(run.blocker).toBeUndefined();
    expect(run.exitCode).toBe(1);
    expect(run.timedOut).toBe(false);
    expect(run.logFile).toBe(logFile);
    expect(readFileSync(logFile, 'utf8')).toContain('Failed Suites 2');
    expect(run.totals).toEqual({ tests: 2, passed: 0, failed: 2, skipped: 0, loadErrors: 2 });
    expect(run.tests.map((t) => [t.id, t.status, t.failure?.message])).toEqual([
      ['unit::test/builtin.test.ts::joins paths', 'failed', 'TypeError: joinPaths is not a function'],
      ['unit::test/js.test.ts::uses missing', 'failed', 'AssertionError: expected undefined to be 1 // Object.is equality'],
    ]);
    expect(run.loadFailures.map((l) => [l.file, l.failure.message, l.failure.location])).toEqual([
      ['test/direct.test.ts', 'TypeError: nope is not a function', { file: 'test/direct.test.ts', line: 4, column: 16 }],
      ['test/indirect.test.ts', 'TypeError: bar is not a function', { file: 'src/uses.ts', line: 3, column: 22 }],
    ]);
  });

  it('kills vitest and its workers when the suite times out', async () => {
    const dir = project('passing');
    const pidFile = path.join(dir, 'pids.txt');
    writeFile(
      path.join(dir, 'test', 'math.test.ts'),
      `import { writeFileSync } from 'node:fs';
      import { it } from 'vitest';
      it('hangs', async () => {
        writeFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + process.ppid);
        await new Promise(() => {});
      }, 120_000);`,
    );
    const started = Date.now();
    const run = await adapter.run(suite('npx vitest run', { timeoutSec: 3 }), { cwd: dir });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(run.timedOut).toBe(true);
    expect(run.totals).toEqual({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 });
    expect(run.blocker?.reason).toBe('timeout');
    expect(run.blocker?.message).toMatch(
      /^Suite "unit" \(`npx vitest run`\) timed out after 3s; its process tree was killed\./,
    );
    // The test ran in a worker process that vitest started: both must be gone.
    const [worker, parent] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    expect(worker).not.toBe(parent);
    expect([isAlive(worker), isAlive(parent)]).toEqual([false, false]);
  });
});

describe('VitestAdapter blockers', () => {
  it('reports a missing command by name', async () => {
    const run = await adapter.run(suite('fixloop-missing-runner run'), { cwd: project() });
    expect(run.exitCode).toBe(127);
    expect(run.blocker?.reason).toBe('command-not-found');
    expect(run.blocker?.message).toMatch(/^Suite "unit" \(`fixloop-missing-runner run`\): command not found: fixloop-missing-runner\./);
    expect(run.blocker?.outputTail).toMatch(/fixloop-missing-runner: (command )?not found/);
    expect(run.tests).toEqual([]);
  });

  it('reports a run that wrote no JSON report, with the end of its output', async () => {
    const run = await adapter.run(suite('echo "Error: failed to load config"; exit 1'), { cwd: project() });
    expect(run.blocker).toEqual({
      reason: 'no-report',
      message: expect.stringMatching(/exited with code 1 without writing a vitest JSON report: .*\nLast output:\nError: failed to load config$/s),
      outputTail: 'Error: failed to load config\n',
    });
  });

  it('reports environment errors as such, not as a missing report', async () => {
    const run = await adapter.run(suite('echo "Error: connect ECONNREFUSED 127.0.0.1:5432" >&2; exit 1'), { cwd: project() });
    expect(run.blocker?.reason).toBe('environment');
    expect(run.blocker?.message).toContain('failed on the environment (ECONNREFUSED)');
  });

  it('reports a failing exit without any failing test as a crash, keeping the results', async () => {
    const dir = project();
    const report = {
      testResults: [
        {
          name: '<ROOT>/test/a.test.ts',
          status: 'passed',
          message: '',
          assertionResults: [{ ancestorTitles: [], title: 'works', status: 'passed', failureMessages: [] }],
        },
      ],
    };
    const command = fakeRunner(dir, report, '⎯⎯⎯⎯ Unhandled Errors ⎯⎯⎯⎯\nError: late failure\n', 1);
    const run = await adapter.run(suite(command), { cwd: dir });
    expect(run.totals).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 0 });
    expect(run.tests.map((t) => t.id)).toEqual(['unit::test/a.test.ts::works']);
    expect(run.blocker?.reason).toBe('crash');
    expect(run.blocker?.message).toContain('exited with code 1 but no test or test file failed (vitest caught unhandled errors).');
  });

  it('reports an unreadable report as a crash naming the problem', async () => {
    const dir = project();
    const run = await adapter.run(suite(fakeRunner(dir, { tests: [] }, '', 1)), { cwd: dir });
    expect(run.blocker?.reason).toBe('crash');
    expect(run.blocker?.message).toContain('wrote an unreadable report: Not a vitest JSON report (suite "unit"): testResults:');
  });

  it('runs nothing when asked for no files', async () => {
    const dir = project();
    const run = await adapter.run(suite(`touch ${path.join(dir, 'ran')}`), { cwd: dir, files: [] });
    expect(run).toMatchObject({ exitCode: 0, tests: [], loadFailures: [], totals: { tests: 0, loadErrors: 0 } });
    expect(existsSync(path.join(dir, 'ran'))).toBe(false);
  });

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop now')), 100);
    await expect(adapter.run(suite('sleep 20; true'), { cwd: project(), signal: controller.signal })).rejects.toThrow('stop now');
  });
});

function writeFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
