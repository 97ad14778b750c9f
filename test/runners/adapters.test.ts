// Real runs of each adapter on copies of the captured cases: commands, targeted re-runs, blockers.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { ExitCodeAdapter, JestAdapter, JunitAdapter, NodeTestAdapter, PytestAdapter, runSuites } from '../../src/runners/index.js';
import { fixtureProject, removeProjects } from './projects.js';

afterEach(removeProjects);

const project = fixtureProject;

const suite = (name: string, command: string, extra: Partial<SuiteConfig> = {}): SuiteConfig => ({ name, command, format: 'auto', timeoutSec: 60, ...extra });
const loads = (run: { loadFailures: { file: string; failure: { message: string } }[] }) => run.loadFailures.map((l) => [l.file, l.failure.message]);

describe('JestAdapter', () => {
  it('runs only the chosen files, by path, and reads the load failure among them', async () => {
    const root = project('jest', 'load', { name: 'load' });
    const run = await new JestAdapter().run(suite('unit', 'npx jest', { format: 'jest' }), { cwd: root, files: ['test/env.test.js', 'test/fine.test.js'] });
    expect(run.command).toBe('npx jest test/env.test.js test/fine.test.js');
    expect([run.blocker, run.exitCode, run.totals]).toEqual([undefined, 1, { tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 1 }]);
    expect(loads(run)).toEqual([['test/env.test.js', 'ReferenceError: resolveMode is not defined']]);
  });

  it('is blocked when jest cannot start on its config, and writes no report', async () => {
    const root = project('jest', 'passing', { name: 'passing' });
    writeFileSync(path.join(root, 'jest.config.js'), 'module.exports = { testEnvironment: "nodex" };\n');
    const run = await new JestAdapter().run(suite('unit', 'npx jest', { format: 'jest' }), { cwd: root });
    expect([run.blocker?.reason, run.exitCode, run.tests]).toEqual(['no-report', 1, []]);
    expect(run.blocker?.message).toMatch(
      /^Suite "unit" \(`npx jest`\) exited with code 1 without writing a jest JSON report: is it a jest command, and does its config load\?\nLast output:\n.*Test environment nodex cannot be found/s,
    );
  });
});

describe('NodeTestAdapter', () => {
  it('runs the script behind npm test with its reporter added, and reads every file that did not load', async () => {
    const root = project('node-test', 'load', { type: 'module', scripts: { test: 'node --test' } });
    const run = await new NodeTestAdapter().run(suite('unit', 'npm test', { format: 'node-test' }), { cwd: root });
    expect([run.command, run.blocker, run.warnings]).toEqual(['npm test', undefined, undefined]);
    expect(run.totals).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 4 });
    expect(loads(run).map(([file]) => file)).toEqual(['test/env.test.js', 'test/export.test.js', 'test/module.test.js', 'test/syntax.test.js']);
  });

  it('replaces the paths the command names with the chosen files', async () => {
    const root = project('node-test', 'load', { type: 'module' });
    const run = await new NodeTestAdapter().run(suite('unit', 'node --test test/', { format: 'node-test' }), { cwd: root, files: ['test/syntax.test.js'] });
    expect(run.command).toBe('node --test test/ test/syntax.test.js');
    expect([run.totals, loads(run)]).toEqual([
      { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 },
      [['test/syntax.test.js', "SyntaxError: Unexpected token ';'"]],
    ]);
  });
});

describe('PytestAdapter', () => {
  it('reads collection errors without the run stopping at them, and targets files', async () => {
    const root = project('pytest', 'load');
    const adapter = new PytestAdapter();
    const whole = await adapter.run(suite('py', 'python3 -m pytest -p no:cacheprovider', { format: 'pytest' }), { cwd: root });
    expect([whole.blocker, whole.exitCode, whole.totals]).toEqual([undefined, 1, { tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 4 }]);
    const targeted = await adapter.run(suite('py', 'python3 -m pytest -p no:cacheprovider tests', { format: 'pytest' }), { cwd: root, files: ['tests/test_env.py'] });
    expect(targeted.command).toBe('python3 -m pytest -p no:cacheprovider tests tests/test_env.py');
    expect([targeted.totals, loads(targeted)]).toEqual([
      { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 },
      [['tests/test_env.py', "NameError: name 'resolve_mode' is not defined"]],
    ]);
  });
});

describe('JunitAdapter', () => {
  it('reads the JUnit file the command writes, and runs the whole suite when asked for files', async () => {
    const root = project('node-test', 'failing', { type: 'module' });
    const command = 'node --test --test-reporter=junit --test-reporter-destination=junit.xml';
    const run = await new JunitAdapter().run(suite('unit', command, { format: 'junit', junitFile: 'junit.xml' }), { cwd: root, files: ['test/price.test.js'] });
    expect([run.blocker, run.totals]).toEqual([undefined, { tests: 7, passed: 2, failed: 3, skipped: 2, loadErrors: 0 }]);
    expect(run.warnings).toEqual(['This runner cannot be told which test files to run: fixloop ran the whole suite.']);
  });

  it('is blocked, not green, when the command writes no JUnit file', async () => {
    const root = project('node-test', 'passing', { type: 'module' });
    const run = await new JunitAdapter().run(suite('unit', 'node --test', { format: 'junit', junitFile: 'junit.xml' }), { cwd: root });
    expect([run.blocker?.reason, run.blocker?.message.split('\n')[0]]).toEqual([
      'no-report',
      'Suite "unit" (`node --test`) exited with code 0 without writing JUnit XML at junit.xml: does the command write its JUnit report there?',
    ]);
  });
});

describe('ExitCodeAdapter', () => {
  const adapter = new ExitCodeAdapter();
  it('passes one test named after the suite on exit code 0, and fails it with the error the output ends with', async () => {
    const root = project('node-test', 'passing');
    const ok = await adapter.run(suite('lint', 'true', { format: 'exit-code' }), { cwd: root });
    expect(ok.tests.map((t) => [t.id, t.status])).toEqual([['lint::lint::lint', 'passed']]);
    writeFileSync(path.join(root, 'check.cjs'), "require('./src/none.cjs');\n");
    const failed = await adapter.run(suite('lint', 'node check.cjs', { format: 'exit-code' }), { cwd: root, files: ['test/math.test.js'] });
    expect(failed.tests.map((t) => [t.status, t.failure?.message, t.failure?.errorName, t.failure?.location])).toEqual([
      ['failed', "Error: Cannot find module './src/none.cjs'", 'Error', { file: 'check.cjs', line: 1, column: 1 }],
    ]);
    expect([failed.totals.failed, failed.warnings]).toEqual([1, ['This runner cannot be told which test files to run: fixloop ran the whole suite.']]);
  });

  it('reports a missing command and a timeout as blockers, with no test', async () => {
    const root = project('node-test', 'passing');
    const missing = await adapter.run(suite('lint', 'no-such-linter --all', { format: 'exit-code' }), { cwd: root });
    expect([missing.blocker?.reason, missing.tests]).toEqual(['command-not-found', []]);
    const slow = await adapter.run(suite('lint', 'sleep 5', { format: 'exit-code', timeoutSec: 0.3 }), { cwd: root });
    expect([slow.blocker?.reason, slow.timedOut, slow.tests]).toEqual(['timeout', true, []]);
  });
});

describe('format auto', () => {
  it('detects jest behind npm test and reads its report', async () => {
    const root = project('jest', 'failing', { name: 'failing', scripts: { test: 'jest' } });
    const run = await runSuites([suite('unit', 'npm test')], { cwd: root });
    expect([run.suites[0].warnings, run.totals]).toEqual([undefined, { tests: 6, passed: 1, failed: 3, skipped: 2, loadErrors: 0 }]);
  });
});
