// parseJunitXml on real captures of mocha 11.8 (its `xunit` reporter and mocha-junit-reporter 2.2)
// and gotestsum 1.8.2 (Go 1.19), and what fixloop reports when a runner writes no usable report:
// mocha's load errors, Go's build failures, and a pytest run killed at the suite's timeout.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { blockerFor } from '../../src/runners/blocker.js';
import { PytestAdapter } from '../../src/runners/index.js';
import { parseJunitXml } from '../../src/runners/junit-parse.js';
import type { CommandResult } from '../../src/runners/process.js';
import { countTotals } from '../../src/runners/results.js';
import { brief, CTX, FIXTURES, readCapture } from './runner-captures.js';

const parse = (runner: string, name: string, file: string) => parseJunitXml(readCapture(runner, name, file), { ...CTX, suite: 'unit' });
const xunit = (name: string) => parse('mocha', name, 'xunit.xml');
const mochaJunit = (name: string) => parse('mocha', name, 'mocha-junit.xml');
const go = (name: string) => parse('go', name, 'junit.xml');
const totals = (results: ReturnType<typeof parse>) => countTotals(results.tests, results.loadFailures);

/** The terminal output a capture script kept, without the "exit N" line it appended. */
function output(runner: string, name: string): { text: string; exitCode: number } {
  const lines = readCapture(runner, name, 'output.txt').trimEnd().split('\n');
  const exitCode = Number(/^exit (\d+)$/.exec(lines.pop()!)![1]);
  return { text: `${lines.join('\n')}\n`, exitCode };
}

/** What the JunitAdapter's run of the captured command ends in, from its real output and report state. */
function blockerOf(runner: string, name: string, report: { found: boolean; failures: number }) {
  const { text, exitCode } = output(runner, name);
  const result: CommandResult = { exitCode, timedOut: false, aborted: false, durationMs: 1, outputTail: text, output: text, outputTruncated: false };
  const suite: SuiteConfig = { name: 'unit', command: 'npm test', format: 'junit', timeoutSec: 60, junitFile: 'junit.xml' };
  return blockerFor(suite, 'npm test', result, report, { name: 'JUnit XML at junit.xml', hint: 'does the command write its JUnit report there?' });
}

const TIMEOUT_MESSAGE =
  'Timeout of 300ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves. (test/slow.test.js)';

describe("parseJunitXml on mocha's built-in xunit reporter", () => {
  it('reads a single <testsuite> without an XML declaration; "Mocha Tests" is the run, not a describe block', () => {
    const { tests, loadFailures } = xunit('passing');
    expect(loadFailures).toEqual([]);
    expect(tests).toEqual([
      { id: 'unit::test/math.test.js::add > adds two numbers', suite: 'unit', file: 'test/math.test.js', fullName: 'add > adds two numbers', status: 'passed', durationMs: 0 },
      { id: 'unit::test/math.test.js::add > adds negatives', suite: 'unit', file: 'test/math.test.js', fullName: 'add > adds negatives', status: 'passed', durationMs: 0 },
    ]);
  });

  it('reads attribute-less <failure> text: message from its first paragraph, class from the stack that follows the diff', () => {
    const results = xunit('failing');
    expect(brief(results).tests).toEqual([
      ['unit::test/price.test.js::runs at the top level', 'passed', undefined, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > labels with an upper-case copy', 'failed', undefined, 'Expected values to be strictly deep-equal: + actual - expected', 'AssertionError', 'test/price.test.js:14:12'],
      ['unit::test/price.test.js::price > handles discounts', 'skipped', undefined, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > handles taxes', 'skipped', undefined, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > joins parts', 'failed', undefined, 'sep is not defined', 'ReferenceError', 'src/price.js:3:38'],
      // The classname joins nested describe titles with a space: it stays one part of the name.
      ['unit::test/price.test.js::price total > sums price times quantity', 'failed', undefined, 'Expected values to be strictly equal: 2 !== 6', 'AssertionError', 'test/price.test.js:7:14'],
      ['unit::test/price.test.js::price total > is zero for no items', 'passed', undefined, undefined, undefined, undefined],
    ]);
    expect(totals(results)).toEqual({ tests: 7, passed: 2, failed: 3, skipped: 2, loadErrors: 0 });
    // The whole text is kept as the stack: message, mocha's diff, then the error's own stack.
    const deep = results.tests[1].failure!.stack!;
    expect(deep.startsWith('Expected values to be strictly deep-equal:\n+ actual - expected')).toBe(true);
    expect(deep).toContain("      -  \"upper\": \"ab\"\n      +  \"upper\": \"AB\"");
    expect(deep.endsWith('    at Context.<anonymous> (test/price.test.js:14:12)\n    at process.processImmediate (node:internal/timers:483:21)')).toBe(true);
  });

  it("reads a test over mocha's --timeout as a failed test with a plain Error and no frame in the repository", () => {
    expect(brief(xunit('timeout')).tests).toEqual([
      ['unit::test/slow.test.js::slow > waits too long', 'failed', undefined, TIMEOUT_MESSAGE, 'Error', undefined],
      ['unit::test/slow.test.js::slow > is quick', 'passed', undefined, undefined, undefined, undefined],
    ]);
  });
});

describe('parseJunitXml on mocha-junit-reporter', () => {
  it("reads a suite per describe block whose testcases' names are full titles and classnames are titles", () => {
    const results = mochaJunit('passing');
    expect(results.tests.map((t) => [t.id, t.fullName, t.status])).toEqual([
      ['unit::test/math.test.js::add > adds two numbers', 'add > adds two numbers', 'passed'],
      ['unit::test/math.test.js::add > adds negatives', 'add > adds negatives', 'passed'],
    ]);
    expect(results.tests.map((t) => t.id)).toEqual(xunit('passing').tests.map((t) => t.id));
  });

  it('reads failures from message and type; pending tests are left out, and the root suite names no file', () => {
    const results = mochaJunit('failing');
    expect(brief(results).tests).toEqual([
      // "Root Suite" has no file attribute and the classname is the title: the file is the suite's name.
      ['unit::unit::runs at the top level', 'passed', undefined, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > labels with an upper-case copy', 'failed', undefined, 'Expected values to be strictly deep-equal: + actual - expected', 'AssertionError', 'test/price.test.js:14:12'],
      ['unit::test/price.test.js::price > joins parts', 'failed', undefined, 'sep is not defined', 'ReferenceError', 'src/price.js:3:38'],
      ['unit::test/price.test.js::price total > sums price times quantity', 'failed', undefined, 'Expected values to be strictly equal: 2 !== 6', 'AssertionError', 'test/price.test.js:7:14'],
      ['unit::test/price.test.js::price total > is zero for no items', 'passed', undefined, undefined, undefined, undefined],
    ]);
    // The header counts the 2 pending tests (tests="7" skipped="2"); no <testcase> is written for them.
    expect(totals(results)).toEqual({ tests: 5, passed: 2, failed: 3, skipped: 0, loadErrors: 0 });
    const xunitIds = new Set(xunit('failing').tests.map((t) => t.id));
    expect(results.tests.slice(1).every((t) => xunitIds.has(t.id))).toBe(true);
  });

  it('reads the timeout like the xunit reporter does', () => {
    expect(brief(mochaJunit('timeout'))).toEqual(brief(xunit('timeout')));
  });
});

describe('mocha when a test file does not load', () => {
  it.each([
    ['load', ' Exception during run: ReferenceError: resolveMode is not defined\n    at Object.<anonymous> (<ROOT>/src/env.js:1:14)'],
    ['load-syntax', " Exception during run: <ROOT>/src/syntax.js:3\n  return {;\n          ^\n\nSyntaxError: Unexpected token ';'"],
  ])('%s: mocha stops before running any test and neither reporter writes a file', (name, printed) => {
    for (const report of ['xunit.xml', 'mocha-junit.xml']) expect(existsSync(`${FIXTURES}mocha/${name}/${report}`)).toBe(false);
    const { text, exitCode } = output('mocha', name);
    expect([exitCode, text.startsWith(`\n${printed.replaceAll('<ROOT>', '/repo')}\n`)]).toEqual([1, true]);
    expect(text).not.toMatch(/passing|failing/);
  });

  it('load: only the first file that throws is named (env.test.js); syntax.test.js and fine.test.js are never reached', () => {
    const { text } = output('mocha', 'load');
    expect(text).toContain('(/repo/test/env.test.js:2:18)');
    expect(text).not.toMatch(/syntax\.|fine\./);
  });

  it('is a no-report blocker for the JunitAdapter, whose evidence is the error mocha printed', () => {
    const blocker = blockerOf('mocha', 'load', { found: false, failures: 0 });
    expect(blocker?.reason).toBe('no-report');
    expect(blocker?.message.split('\nLast output:\n')[0]).toBe(
      'Suite "unit" (`npm test`) exited with code 1 without writing JUnit XML at junit.xml: does the command write its JUnit report there?',
    );
    expect(blocker?.message).toContain('    at Object.<anonymous> (/repo/test/env.test.js:2:18)');
  });
});

describe('parseJunitXml on gotestsum (Go 1.19)', () => {
  it('names the package as classname and suite, which stands for the file; subtests keep their "/" path', () => {
    const results = go('passing');
    expect(results.tests.map((t) => [t.id, t.file, t.fullName, t.status])).toEqual([
      ['unit::example.com/passing/calc::TestAdd', 'example.com/passing/calc', 'TestAdd', 'passed'],
      ['unit::example.com/passing/calc::TestAddTable/positives', 'example.com/passing/calc', 'TestAddTable/positives', 'passed'],
      ['unit::example.com/passing/calc::TestAddTable/negatives', 'example.com/passing/calc', 'TestAddTable/negatives', 'passed'],
      ['unit::example.com/passing/calc::TestAddTable', 'example.com/passing/calc', 'TestAddTable', 'passed'],
    ]);
    expect(results.loadFailures).toEqual([]);
  });

  it('reads the message from what the test printed, not the "Failed" placeholder, and a panic at its first frame in the repository', () => {
    const results = go('failing');
    expect(brief(results)).toEqual({
      tests: [
        // t.Errorf's place is relative to the package directory, which the report does not name: no location.
        ['unit::example.com/failing/price::TestTotal', 'failed', undefined, 'price_test.go:7: Total = 2, want 6', undefined, undefined],
        ['unit::example.com/failing/price::TestLabel/upper', 'failed', undefined, 'price_test.go:25: Label(ab) = "ab/ab", want "ab/AB"', undefined, undefined],
        // Failed only because a subtest did: it printed nothing, so the placeholder is all there is.
        ['unit::example.com/failing/price::TestLabel', 'failed', undefined, 'Failed', undefined, undefined],
        ['unit::example.com/failing/price::TestDiscount', 'skipped', undefined, undefined, undefined, undefined],
        ['unit::example.com/failing/price::TestTotalEmpty', 'passed', undefined, undefined, undefined, undefined],
        ['unit::example.com/failing/price::TestLabel/lower', 'passed', undefined, undefined, undefined, undefined],
        ['unit::example.com/failing/stock::TestReserve', 'failed', undefined, 'panic: assignment to entry in nil map [recovered]', undefined, 'stock/stock.go:8'],
        ['unit::example.com/failing/stock::TestEmpty', 'passed', undefined, undefined, undefined, undefined],
      ],
      // The package that failed to build (example.com/failing/broken) is not in the report at all,
      // and TestAfterPanic, which the panic kept from running, is not either.
      loadFailures: [],
    });
    expect(totals(results)).toEqual({ tests: 8, passed: 3, failed: 4, skipped: 1, loadErrors: 0 });
    expect(results.tests.find((t) => t.fullName === 'TestReserve')?.failure?.stack).toContain('\tstock/stock.go:8\nexample.com/failing/stock.TestReserve(0xc000007860?)\n\tstock/stock_test.go:14 +0x2e');
  });

  it('leaves a package that does not compile out of the report: only gotestsum\'s output and exit code 2 tell', () => {
    const results = go('build');
    expect(brief(results)).toEqual({ tests: [['unit::example.com/build/calc::TestAdd', 'passed', undefined, undefined, undefined, undefined]], loadFailures: [] });
    expect(readCapture('go', 'build', 'junit.xml')).toContain('<testsuites tests="1" failures="0" errors="1"');
    const { text, exitCode } = output('go', 'build');
    expect(exitCode).toBe(2);
    expect(text).toContain('\n=== Errors\nbroken/broken_test.go:9:10: undefined: Triple\n\nDONE 1 tests, 1 error in ');
    // So the JunitAdapter calls the run a crash rather than a failed suite with a load failure.
    const blocker = blockerOf('go', 'build', { found: true, failures: 0 });
    expect([blocker?.reason, blocker?.message.split('\n')[0]]).toEqual([
      'crash',
      'Suite "unit" (`npm test`) exited with code 2 but no test or test file failed.',
    ]);
  });
});

describe('pytest killed at the suite timeout', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('the capture: -v printed the hanging test\'s id before it hung, and no junit.xml was written', () => {
    expect(existsSync(`${FIXTURES}pytest/timeout/junit.xml`)).toBe(false);
    const printed = readCapture('pytest', 'timeout', 'output.txt');
    expect(printed.endsWith('collected 3 items\n\ntests/test_wait.py::test_is_quick PASSED                                 [ 33%]\ntests/test_wait.py::test_waits_forever ')).toBe(true);
  });

  it('PytestAdapter reports a timeout blocker with no test, the output ending at the test that hung', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'fixloop-timeout-'));
    dirs.push(root);
    for (const part of ['src', 'tests']) cpSync(path.join(FIXTURES, 'pytest', 'timeout', part), path.join(root, part), { recursive: true });
    const command = 'python3 -m pytest -p no:cacheprovider -v';
    // Not 2s: pytest's start (plugins, collection) alone took 1.7s on a loaded machine, and a 2s
    // limit sometimes killed it before it reached the test.
    const run = await new PytestAdapter().run({ name: 'py', command, format: 'pytest', timeoutSec: 5 }, { cwd: root });
    // Killed by the SIGTERM to its process group: no exit code, and test_is_quick's pass is lost with the report.
    expect([run.timedOut, run.exitCode, run.tests, run.loadFailures, run.totals]).toEqual([
      true,
      null,
      [],
      [],
      { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 },
    ]);
    expect(run.blocker?.reason).toBe('timeout');
    expect(run.blocker?.message.split('\n').slice(0, 2)).toEqual([
      'Suite "py" (`python3 -m pytest -p no:cacheprovider -v`) timed out after 5s; its process tree was killed. Raise "timeoutSec" or look for a hanging test.',
      'Last output:',
    ]);
    expect(run.blocker?.message.endsWith('\ntests/test_wait.py::test_waits_forever')).toBe(true);
    expect(run.blocker?.outputTail.endsWith('[ 33%]\ntests/test_wait.py::test_waits_forever ')).toBe(true);
  }, 20_000);
});
