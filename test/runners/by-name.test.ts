// Targeted re-runs by test name: the flags each runner is given, real runs of vitest, jest,
// node:test and pytest on copies of the captured cases, and the whole-file fallback.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteRun, TestCase } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { exactNames, jestCommand, runSuites, vitestCommand, type TestRunnerAdapter } from '../../src/runners/index.js';
import { pytestCommand, pytestNodeId } from '../../src/runners/pytest/adapter.js';
import { nodeTestCommand, nodeTestReporterPath } from '../../src/runners/node-test/adapter.js';
import { fixtureProject, removeProjects } from './projects.js';

afterEach(removeProjects);

const project = fixtureProject;

const chosen = [
  { file: 'test/price.test.ts', fullName: 'price > total > sums (x+y) * q' },
  { file: 'test/price.test.ts', fullName: 'price > labels' },
];

describe('the name filter each runner is given', () => {
  it('matches exactly the chosen names, with regular-expression characters escaped', () => {
    expect(exactNames(['b', 'a (1+1)', 'b'])).toBe('^(?:a \\(1\\+1\\)|b)$');
    expect(exactNames([])).toBeUndefined();
    expect(exactNames(Array.from({ length: 201 }, (_, i) => `t${i}`))).toBeUndefined();
  });

  it('vitest and jest: -t with titles joined by spaces; vitest retries with --retry', () => {
    expect(vitestCommand('npx vitest run', '/t/r.json', ['test/price.test.ts'], { tests: chosen, retries: 1 })).toBe(
      "npx vitest run --reporter=json --outputFile.json=/t/r.json --reporter=default --includeTaskLocation -t '^(?:price labels|price total sums \\(x\\+y\\) \\* q)$' --retry=1 --passWithNoTests test/price.test.ts",
    );
    expect(jestCommand('npx jest', '/t/r.json', ['test/price.test.ts'], '/nowhere', { tests: chosen })).toBe(
      "npx jest --ci --json --outputFile=/t/r.json --testLocationInResults -t '^(?:price labels|price total sums \\(x\\+y\\) \\* q)$' --passWithNoTests --runTestsByPath test/price.test.ts",
    );
  });

  it("node:test: --test-name-pattern on the tests' own titles", () => {
    expect(nodeTestCommand('node --test', '/t/r', ['test/price.test.ts'], '/nowhere', { tests: chosen }).run).toBe(
      `node --test-reporter=${nodeTestReporterPath()} --test-reporter-destination=/t/r --test-name-pattern='^(?:labels|sums \\(x\\+y\\) \\* q)$' --test-reporter=spec --test-reporter-destination=stdout --test test/price.test.ts`,
    );
  });

  it('pytest: node ids in place of the files', () => {
    expect(pytestNodeId('tests/test_price.py', 'TestTotal > test_sum[a b]')).toBe('tests/test_price.py::TestTotal::test_sum[a b]');
    const tests = [
      { file: 'tests/test_price.py', fullName: 'test_is_positive[1]' },
      { file: 'tests/test_price.py', fullName: 'TestTotal > test_sum' },
    ];
    expect(pytestCommand('python3 -m pytest tests', '/t/j.xml', ['tests/test_price.py'], '/nowhere', { tests })).toBe(
      "python3 -m pytest tests --junitxml=/t/j.xml -o junit_family=xunit1 --continue-on-collection-errors tests/test_price.py::TestTotal::test_sum 'tests/test_price.py::test_is_positive[1]'",
    );
  });
});

const suite = (command: string, format: SuiteConfig['format']): SuiteConfig => ({ name: 'u', command, format, timeoutSec: 60 });
const statuses = (run: SuiteRun) => run.tests.map((t) => `${t.status} ${t.fullName}`);

describe('runSuites with chosen tests: real runs', () => {
  it.each([
    ['vitest', 'assertions', { type: 'module' }, 'npx vitest run', 'vitest', [
      'failed price > total > sums price times quantity',
      'skipped price > total > is zero for no items',
      'failed price > labels with an upper-case copy',
      'skipped price > handles discounts',
      'skipped price > handles taxes',
    ]],
    ['jest', 'failing', {}, 'npx jest', 'jest', [
      'failed price > total > sums price times quantity',
      'skipped price > total > is zero for no items',
      'failed price > labels with an upper-case copy',
      'skipped price > handles discounts',
      'skipped price > handles taxes',
      'failed price > joins parts',
    ]],
    ['node-test', 'failing', { type: 'module' }, 'node --test', 'node-test', [
      'failed price > total > sums price times quantity',
      'skipped price > total > is zero for no items',
      'failed price > labels with an upper-case copy',
      'skipped price > handles discounts',
      'skipped price > handles taxes',
      'failed price > joins parts',
      'skipped top-level test',
    ]],
    ['pytest', 'failing', {}, 'python3 -m pytest -p no:cacheprovider', 'pytest', [
      'failed TestTotal > test_sums_price_times_quantity',
      'failed test_is_positive[1]',
      'failed test_joins_parts',
    ]],
  ] as const)('%s runs only the failing tests of a file, and no test that passed', async (runner, name, pkg, command, format, expected) => {
    const root = project(runner, name, pkg);
    const config = [suite(command, format)];
    const whole = await runSuites(config, { cwd: root });
    const failing = whole.suites[0].tests.filter((t) => t.status === 'failed');
    expect(failing.length).toBeGreaterThan(1);
    const again = await runSuites(config, { cwd: root, tests: failing });
    expect([again.suites[0].blocker, again.suites[0].warnings]).toEqual([undefined, undefined]);
    expect(statuses(again.suites[0])).toEqual([...expected]);
  });

  it('vitest: --retry keeps every attempt of a test, and a pass after a failure is seen', async () => {
    const root = project('vitest', 'assertions', { type: 'module' });
    writeFileSync(
      path.join(root, 'test/flaky.test.ts'),
      "import { expect, it } from 'vitest';\nlet n = 0;\nit('passes the third time', () => { n++; expect(n).toBe(3); });\nit('never passes', () => { expect(1).toBe(2); });\n",
    );
    const run = await runSuites([suite('npx vitest run', 'vitest')], { cwd: root, files: ['test/flaky.test.ts'], retries: 2 });
    expect(run.suites[0].tests.map((t) => [t.fullName, t.status, t.attempts])).toEqual([
      ['passes the third time', 'passed', ['failed', 'failed', 'passed']],
      ['never passes', 'failed', ['failed', 'failed', 'failed']],
    ]);
  });
});

describe('runSuites when a name filter misses', () => {
  const test = (fullName: string, status: TestCase['status']): TestCase => ({ id: `u::a.test.js::${fullName}`, suite: 'u', file: 'a.test.js', fullName, status });
  const result = (tests: TestCase[]): SuiteRun => ({ suite: 'u', command: 'x', exitCode: 1, durationMs: 1, timedOut: false, tests, loadFailures: [], totals: { tests: tests.length, passed: 0, failed: 0, skipped: 0, loadErrors: 0 } });

  it('runs the chosen files whole, says so, and a suite with no chosen test is not run', async () => {
    const calls: { files?: string[]; tests?: unknown[] }[] = [];
    // An adapter whose runner matches names its own way: the chosen test comes back skipped.
    const adapter: TestRunnerAdapter = {
      format: 'exit-code',
      async run(_suite, options) {
        calls.push({ files: options.files, tests: options.tests });
        return result(options.tests ? [test('one', 'skipped'), test('two', 'failed')] : [test('one', 'failed'), test('two', 'failed')]);
      },
    };
    const suites: SuiteConfig[] = [
      { name: 'u', command: 'x', format: 'exit-code', timeoutSec: 5 },
      { name: 'other', command: 'y', format: 'exit-code', timeoutSec: 5 },
    ];
    const run = await runSuites(suites, { cwd: '/nowhere', adapters: { 'exit-code': adapter }, tests: [test('one', 'failed'), test('two', 'failed')] });
    expect(calls).toEqual([
      { files: ['a.test.js'], tests: [{ file: 'a.test.js', fullName: 'one' }, { file: 'a.test.js', fullName: 'two' }] },
      { files: ['a.test.js'], tests: undefined },
    ]);
    expect(run.suites.map((s) => [s.suite, s.warnings, s.tests.map((t) => t.status)])).toEqual([
      ['u', ['The name filter left 1 of the 2 chosen tests unrun: fixloop ran their files whole.'], ['failed', 'failed']],
    ]);
  });
});
