// parseJunitXml on real captures of mocha 11.8 (its `xunit` reporter and mocha-junit-reporter 2.2)
// and gotestsum 1.8.2 (Go 1.19), and what fixloop makes of what the report leaves out: mocha's
// load errors and Go's build failures, read from the output as load failures, and a pytest run
// killed at the suite's timeout.
import { cpSync, existsSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { blockerFor } from '../../src/runners/blocker.js';
import { JunitAdapter, PytestAdapter } from '../../src/runners/index.js';
import { goBuildFailures, mochaLoadFailures, outputLoadFailures } from '../../src/runners/junit/output.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import type { CommandResult } from '../../src/runners/process.js';
import { countTotals } from '../../src/runners/results.js';
import { brief, CTX, FIXTURES, readCapture } from './runner-captures.js';

const parse = (runner: string, name: string, file: string) => parseJunitXml(readCapture(runner, name, file), { ...CTX, suite: 'unit' });
const xunit = (name: string) => parse('mocha', name, 'xunit.xml');
const mochaJunit = (name: string) => parse('mocha', name, 'mocha-junit.xml');
const go = (name: string) => parse('go', name, 'junit.xml');
const totals = (results: ReturnType<typeof parse>) => countTotals(results.tests, results.loadFailures);

/** The terminal output a capture script kept, without the "exit N" line it appended. */
function output(runner: string, name: string, root?: string): { text: string; exitCode: number } {
  const lines = readCapture(runner, name, 'output.txt', root).trimEnd().split('\n');
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

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of a capture's project under /tmp where `printed.txt` holds its real output (paths at the
 * copy's root): the suite's command prints it and exits with the captured code, as the runner did.
 */
function replay(runner: string, name: string): { root: string; command: string } {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), `fixloop-${runner}-${name}-`)));
  dirs.push(root);
  cpSync(path.join(FIXTURES, runner, name), root, { recursive: true });
  const { text, exitCode } = output(runner, name, root);
  writeFileSync(path.join(root, 'printed.txt'), text);
  return { root, command: `cat printed.txt; exit ${exitCode}` };
}

const junitSuite = (command: string): SuiteConfig => ({ name: 'unit', command, format: 'junit', timeoutSec: 30, junitFile: 'junit.xml' });

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

  it('load: the test file that failed to load, with the error and its first frame in the repository (the module it required)', () => {
    const { text } = output('mocha', 'load');
    const failures = mochaLoadFailures(text, CTX, 'unit');
    expect(brief({ tests: [], loadFailures: failures }).loadFailures).toEqual([
      ['test/env.test.js', 'ReferenceError: resolveMode is not defined', 'ReferenceError', 'src/env.js:1:14'],
    ]);
    // The stack is the error as mocha printed it, repository paths relative; mocha's own frames stay as they were.
    const stack = failures[0].failure.stack!.split('\n');
    expect(stack.slice(0, 2)).toEqual(['ReferenceError: resolveMode is not defined', '    at Object.<anonymous> (src/env.js:1:14)']);
    expect(stack[8]).toBe('    at Object.<anonymous> (test/env.test.js:2:18)');
    expect(stack.at(-1)).toBe('    at async exports.handler (<TOOLS>/node_modules/mocha/lib/cli/run.js:389:5)');
    expect(stack).toHaveLength(22);
    // A frame without a place ("<anonymous>") does not end the stack.
    const withAnonymous = text.replace('\n    at require (', '\n    at new Promise (<anonymous>)\n    at require (');
    const [again] = mochaLoadFailures(withAnonymous, CTX, 'unit');
    expect([again.file, again.failure.stack!.split('\n').length]).toEqual(['test/env.test.js', 23]);
  });

  it("load-syntax: the SyntaxError is located at the <file>:<line> node prints above the caret; the test file is the frame that required it", () => {
    const failures = mochaLoadFailures(output('mocha', 'load-syntax').text, CTX, 'unit');
    expect(brief({ tests: [], loadFailures: failures }).loadFailures).toEqual([
      ['test/syntax.test.js', "SyntaxError: Unexpected token ';'", 'SyntaxError', 'src/syntax.js:3'],
    ]);
    expect(failures[0].failure.stack!.split('\n').slice(0, 7)).toEqual([
      'src/syntax.js:3',
      '  return {;',
      '          ^',
      '',
      "SyntaxError: Unexpected token ';'",
      '    at wrapSafe (node:internal/modules/cjs/loader:1464:18)',
      '    at Module._compile (node:internal/modules/cjs/loader:1495:20)',
    ]);
  });

  it.each(['load', 'load-syntax'])('%s: what the xunit and mocha-junit-reporter runs printed reads the same', (name) => {
    const fromSpec = outputLoadFailures(output('mocha', name).text, CTX, 'unit');
    expect(fromSpec).toHaveLength(1);
    for (const file of ['xunit-output.txt', 'mocha-junit-output.txt']) expect(outputLoadFailures(readCapture('mocha', name, file), CTX, 'unit')).toEqual(fromSpec);
  });

  it("is no load failure when the error lies outside the repository: mocha 12's crash in mocha-junit-reporter (README)", () => {
    const printed =
      "\n Exception during run: TypeError: Class constructor Base cannot be invoked without 'new'\n    at new MochaJUnitReporter (<TOOLS>/node_modules/mocha-junit-reporter/index.js:221:8)\n";
    expect(outputLoadFailures(printed, CTX, 'unit')).toEqual([]);
    // The same crash with the reporter installed in the repository's node_modules.
    expect(outputLoadFailures(printed.replace('<TOOLS>', '/repo'), CTX, 'unit')).toEqual([]);
  });

  it.each([
    ['load', 'test/env.test.js', 'ReferenceError: resolveMode is not defined', { file: 'src/env.js', line: 1, column: 14 }],
    ['load-syntax', 'test/syntax.test.js', "SyntaxError: Unexpected token ';'", { file: 'src/syntax.js', line: 3 }],
  ])('%s: the JunitAdapter reports the load failure, not a no-report blocker, from the real output and no report', async (name, file, message, location) => {
    const { root, command } = replay('mocha', name);
    const run = await new JunitAdapter().run(junitSuite(command), { cwd: root });
    expect(existsSync(path.join(root, 'junit.xml'))).toBe(false);
    expect(run.blocker).toBeUndefined();
    expect([run.exitCode, run.tests, run.totals]).toEqual([1, [], { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 }]);
    expect(run.loadFailures.map((l) => [l.suite, l.file, l.failure.message, l.failure.errorName, l.failure.location])).toEqual([
      ['unit', file, message, message.split(':')[0], location],
    ]);
    // The copy's root is taken out of the stack like any checkout's.
    expect(run.loadFailures[0].failure.stack).not.toContain(root);
  }, 20_000);

  it('a run that writes no report and prints no load failure stays a no-report blocker', async () => {
    const { root } = replay('mocha', 'load');
    const crash = "printf ' Exception during run: TypeError: Class constructor Base cannot be invoked without new\\n    at new MochaJUnitReporter (/opt/tools/node_modules/mocha-junit-reporter/index.js:221:8)\\n'; exit 1";
    for (const command of [crash, 'echo "nothing to see"; exit 1']) {
      const run = await new JunitAdapter().run(junitSuite(command), { cwd: root });
      expect([run.blocker?.reason, run.loadFailures, run.totals.loadErrors]).toEqual(['no-report', [], 0]);
      expect(run.blocker?.message.split('\n')[0]).toBe(
        `Suite "unit" (\`${command}\`) exited with code 1 without writing JUnit XML at junit.xml: does the command write its JUnit report there?`,
      );
    }
  }, 20_000);
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
    // Without the output's load failure the run would be a crash: exit 2 with nothing failed.
    const blocker = blockerOf('go', 'build', { found: true, failures: 0 });
    expect([blocker?.reason, blocker?.message.split('\n')[0]]).toEqual([
      'crash',
      'Suite "unit" (`npm test`) exited with code 2 but no test or test file failed.',
    ]);
    expect(blockerOf('go', 'build', { found: true, failures: 1 })).toBeUndefined();
  });

  it('reads a package that does not compile from the output: its first compile error\'s file, place and message', () => {
    const failures = goBuildFailures(output('go', 'build').text, CTX, 'unit');
    expect(failures).toEqual([
      {
        suite: 'unit',
        file: 'broken/broken_test.go',
        failure: {
          message: 'undefined: Triple',
          stack: '# example.com/build/broken [example.com/build/broken.test]\nbroken/broken_test.go:9:10: undefined: Triple',
          location: { file: 'broken/broken_test.go', line: 9, column: 10 },
        },
      },
    ]);
    // The broken package of the failing capture, next to failed tests and a panic, and its error in non-test source.
    expect(brief({ tests: [], loadFailures: outputLoadFailures(output('go', 'failing').text, CTX, 'unit') }).loadFailures).toEqual([
      ['broken/broken.go', 'undefined: factor', undefined, 'broken/broken.go:5:13'],
    ]);
    expect(goBuildFailures(output('go', 'passing').text, CTX, 'unit')).toEqual([]);
  });

  it('paths go printed are relative to where it ran: a suite run in a subdirectory files them under it', () => {
    const failures = goBuildFailures(output('go', 'build').text, { root: '/repo', runDir: '/repo/services/api' }, 'unit');
    expect([failures[0].file, failures[0].failure.location]).toEqual([
      'services/api/broken/broken_test.go',
      { file: 'services/api/broken/broken_test.go', line: 9, column: 10 },
    ]);
  });

  it('needs go\'s or gotestsum\'s marker: "[build failed]" or "=== Errors" alone is enough, the "# pkg" block alone is not', () => {
    const lines = output('go', 'build').text.split('\n');
    const withoutMarkers = lines.filter((line) => !/\[build failed\]/.test(line)).join('\n').split('\n=== Errors\n')[0];
    expect(goBuildFailures(withoutMarkers, CTX, 'unit')).toEqual([]);
    const goTestOnly = lines.slice(0, 3).join('\n');
    expect(brief({ tests: [], loadFailures: goBuildFailures(goTestOnly, CTX, 'unit') }).loadFailures).toEqual([
      ['broken/broken_test.go', 'undefined: Triple', undefined, 'broken/broken_test.go:9:10'],
    ]);
    // gotestsum's summary without go's "# pkg" block: the error line is all there is.
    const errorsOnly = lines.filter((line) => !line.startsWith('# ') && !/\[build failed\]/.test(line)).slice(1).join('\n');
    expect(errorsOnly.startsWith('=== RUN   TestAdd\n')).toBe(true);
    expect(goBuildFailures(errorsOnly, CTX, 'unit')).toEqual([
      {
        suite: 'unit',
        file: 'broken/broken_test.go',
        failure: { message: 'undefined: Triple', stack: 'broken/broken_test.go:9:10: undefined: Triple', location: { file: 'broken/broken_test.go', line: 9, column: 10 } },
      },
    ]);
  });

  it('the JunitAdapter counts the broken package as a load failure next to the report\'s tests, not a crash', async () => {
    const { root, command } = replay('go', 'build');
    // The command writes the captured report where the policy says, as gotestsum did (a report
    // already there would be removed before the run).
    renameSync(path.join(root, 'junit.xml'), path.join(root, 'captured.xml'));
    const run = await new JunitAdapter().run(junitSuite(command.replace('; exit', '; cp captured.xml junit.xml; exit')), { cwd: root });
    expect(run.blocker).toBeUndefined();
    expect(brief(run)).toEqual({
      tests: [['unit::example.com/build/calc::TestAdd', 'passed', undefined, undefined, undefined, undefined]],
      loadFailures: [['broken/broken_test.go', 'undefined: Triple', undefined, 'broken/broken_test.go:9:10']],
    });
    expect([run.exitCode, run.totals]).toEqual([2, { tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 1 }]);
  }, 20_000);
});

describe('pytest killed at the suite timeout', () => {
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
    // Not 2s, nor 5s: pytest's start (plugins, collection, and the interpreter probes before it) took
    // over 5s on a machine at load 20, and a short limit killed it before it reached the test.
    const run = await new PytestAdapter().run({ name: 'py', command, format: 'pytest', timeoutSec: 8 }, { cwd: root });
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
      'Suite "py" (`python3 -m pytest -p no:cacheprovider -v`) timed out after 8s; its process tree was killed. Raise "timeoutSec" or look for a hanging test.',
      'Last output:',
    ]);
    expect(run.blocker?.message.endsWith('\ntests/test_wait.py::test_waits_forever')).toBe(true);
    expect(run.blocker?.outputTail.endsWith('[ 33%]\ntests/test_wait.py::test_waits_forever ')).toBe(true);
  }, 20_000);
});
