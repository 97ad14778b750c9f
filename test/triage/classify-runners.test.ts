import { describe, expect, it } from 'vitest';
import type { FailureKind, LoadFailure, TestCase } from '../../src/model.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { outputLoadFailures } from '../../src/runners/junit/output.js';
import { classifyFailure } from '../../src/triage/classify.js';
import { CTX, readCapture } from '../runners/runner-captures.js';

const kinds = ({ tests, loadFailures }: { tests: TestCase[]; loadFailures: LoadFailure[] }): [string, FailureKind][] => [
  ...loadFailures.map((l): [string, FailureKind] => [l.file, classifyFailure(l.failure)]),
  ...tests.filter((t) => t.failure).map((t): [string, FailureKind] => [t.fullName, classifyFailure(t.failure!)]),
];
const jest = (name: string) => kinds(parseJestReport(JSON.parse(readCapture('jest', name, 'report.json')), 'u', CTX));
const node = (name: string) => kinds(parseNodeTestReport(readCapture('node-test', name, 'report.ndjson'), 'u', CTX));
const pytest = (name: string) => kinds(parseJunitXml(readCapture('pytest', name, 'junit.xml'), { ...CTX, suite: 'u', dialect: 'pytest' }));

describe('classifyFailure on what mocha and go print for a file that does not load', () => {
  const fromOutput = (runner: string, name: string) => kinds({ tests: [], loadFailures: outputLoadFailures(readCapture(runner, name, 'output.txt'), CTX, 'u') });
  it('reads mocha load errors and Go build errors like the others', () => {
    expect(fromOutput('mocha', 'load')).toEqual([['test/env.test.js', 'reference']]);
    expect(fromOutput('mocha', 'load-syntax')).toEqual([['test/syntax.test.js', 'syntax']]);
    expect(fromOutput('go', 'build')).toEqual([['broken/broken_test.go', 'reference']]);
  });
});

describe('classifyFailure on real jest, node:test and pytest failures', () => {
  it('reads jest: expect() errors as assertions, babel parse errors, missing modules and timeouts', () => {
    expect(jest('failing')).toEqual([
      ['price > total > sums price times quantity', 'assertion'],
      ['price > labels with an upper-case copy', 'assertion'],
      ['price > joins parts', 'reference'],
    ]);
    expect(jest('load')).toEqual([
      ['test/env.test.js', 'reference'],
      ['test/syntax.test.js', 'syntax'],
      ['test/app.test.js', 'module-load'],
    ]);
    expect(jest('timeout')).toEqual([['waits forever', 'timeout']]);
  });

  it('reads node:test: node assertions, missing exports and modules as module-load, and its timeout', () => {
    expect(node('failing')).toEqual([
      ['price > total > sums price times quantity', 'assertion'],
      ['price > labels with an upper-case copy', 'assertion'],
      ['price > joins parts', 'reference'],
    ]);
    expect(node('load')).toEqual([
      ['test/env.test.js', 'reference'],
      ['test/export.test.js', 'module-load'],
      ['test/module.test.js', 'module-load'],
      ['test/syntax.test.js', 'syntax'],
    ]);
    expect(node('timeout')).toEqual([['waits too long', 'timeout']]);
  });

  it('reads Python: AssertionError and bare asserts, NameError, ImportError, ModuleNotFoundError and SyntaxError', () => {
    expect(pytest('failing')).toEqual([
      ['TestTotal > test_sums_price_times_quantity', 'assertion'],
      ['test_joins_parts', 'reference'],
      ['test_is_positive[1]', 'assertion'],
    ]);
    expect(pytest('load')).toEqual([
      ['tests/test_env.py', 'reference'],
      ['tests/test_import.py', 'module-load'],
      ['tests/test_module.py', 'module-load'],
      ['tests/test_syntax.py', 'syntax'],
    ]);
  });
});

describe('classifyFailure on Python messages without the class name', () => {
  it.each([
    ["name 'x' is not defined", 'reference'],
    ["No module named 'requests'", 'module-load'],
    ["cannot import name 'f' from 'pkg.mod'", 'module-load'],
    ['IndentationError: unexpected indent', 'syntax'],
  ] as [string, FailureKind][])('%s is %s', (message, kind) => {
    expect(classifyFailure({ message, errorName: /^(\w+Error):/.exec(message)?.[1] })).toBe(kind);
  });
});
