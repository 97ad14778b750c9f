import { describe, expect, it } from 'vitest';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const parse = (name: string) => parseNodeTestReport(readCapture('node-test', name, 'report.ndjson'), 'unit', CTX);

describe('parseNodeTestReport on real node 20 captures (fixloop reporter)', () => {
  it('reads passing tests with describe blocks in the full name and declared locations', () => {
    const { tests, loadFailures } = parse('passing');
    expect(loadFailures).toEqual([]);
    expect(tests.map((t) => [t.id, t.status, t.location])).toEqual([
      ['unit::test/math.test.js::add > adds two numbers', 'passed', { file: 'test/math.test.js', line: 6, column: 3 }],
      ['unit::test/math.test.js::add > adds negatives', 'passed', { file: 'test/math.test.js', line: 9, column: 3 }],
    ]);
  });

  it('reads the error inside node\'s ERR_TEST_FAILURE wrapper, skips and todos', () => {
    const results = parse('failing');
    expect(brief(results).tests).toEqual([
      ['unit::test/price.test.js::price > total > sums price times quantity', 'failed', 7, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 2 !== 6', 'AssertionError', 'test/price.test.js:8:14'],
      ['unit::test/price.test.js::price > total > is zero for no items', 'passed', 10, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > labels with an upper-case copy', 'failed', 14, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal: + actual - expected', 'AssertionError', 'test/price.test.js:15:12'],
      ['unit::test/price.test.js::price > handles discounts', 'skipped', 17, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > handles taxes', 'todo', 18, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > joins parts', 'failed', 19, 'ReferenceError: sep is not defined', 'ReferenceError', 'src/price.js:3:43'],
      ['unit::test/price.test.js::top-level test', 'passed', 24, undefined, undefined, undefined],
    ]);
    expect(countTotals(results.tests, results.loadFailures)).toEqual({ tests: 7, passed: 2, failed: 3, skipped: 2, loadErrors: 0 });
  });

  it('reads files that fail to load from what their process printed, located at the origin node prints', () => {
    expect(brief(parse('load'))).toEqual({
      tests: [['unit::test/fine.test.js::still runs', 'passed', 2, undefined, undefined, undefined]],
      loadFailures: [
        ['test/env.test.js', 'ReferenceError: resolveMode is not defined', 'ReferenceError', 'src/env.js:1'],
        ['test/export.test.js', "SyntaxError: The requested module '../src/lib.js' does not provide an export named 'missing'", 'SyntaxError', 'test/export.test.js:2'],
        // Node names the missing file and the importer, but no line.
        ['test/module.test.js', "Error [ERR_MODULE_NOT_FOUND]: Cannot find module 'src/helpers.js' imported from test/module.test.js", 'Error', undefined],
        ['test/syntax.test.js', "SyntaxError: Unexpected token ';'", 'SyntaxError', 'src/syntax.js:3'],
      ],
    });
    expect(parse('load').loadFailures[3].failure.stack).toBe(
      [
        'src/syntax.js:3',
        '  return {;',
        '          ^',
        '',
        "SyntaxError: Unexpected token ';'",
        '    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)',
        '    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:146:18)',
        '    at #translate (node:internal/modules/esm/loader:497:12)',
        '    at ModuleLoader.loadAndTranslate (node:internal/modules/esm/loader:544:27)',
      ].join('\n'),
    );
  });

  it('reads a test over its own timeout', () => {
    expect(brief(parse('timeout')).tests).toEqual([
      ['unit::test/slow.test.js::waits too long', 'failed', 2, 'test timed out after 300ms', undefined, undefined],
      ['unit::test/slow.test.js::is quick', 'passed', 3, undefined, undefined, undefined],
    ]);
  });

  it.each([['crash'], ['crash-kill']])('reads a file whose process ended in a test (%s) as a failed file: no test of it is reported', (name) => {
    const results = parse(name);
    expect(brief(results)).toEqual({
      tests: [
        ['unit::test/fine.test.js::adds two numbers', 'passed', 5, undefined, undefined, undefined],
        ['unit::test/wrong.test.js::adds negatives', 'failed', 5, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: -3 !== -4', 'AssertionError', 'test/wrong.test.js:6:10'],
      ],
      // The test that passed before the exit is lost with the process; nothing was printed on stderr.
      loadFailures: [['test/quits.test.js', 'test/quits.test.js failed outside its tests: it did not load, or its process exited (test failed)', undefined, undefined]],
    });
    expect(results.loadFailures[0].failure.stack).toBeUndefined();
  });

  it('rejects a line that is not one of its records, naming the suite and the line', () => {
    expect(() => parseNodeTestReport('{"type":"test:pass"}\n', 'unit', CTX)).toThrow(/^Not a fixloop node:test report \(suite "unit"\), line 1: /);
  });
});
