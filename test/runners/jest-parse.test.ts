import { describe, expect, it } from 'vitest';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const parse = (name: string) => parseJestReport(JSON.parse(readCapture('jest', name, 'report.json')), 'unit', CTX);

describe('parseJestReport on real jest 30 captures', () => {
  it('reads passing tests with repository-relative files, declared locations and durations', () => {
    const { tests, loadFailures } = parse('passing');
    expect(loadFailures).toEqual([]);
    expect(tests).toEqual([
      {
        id: 'unit::test/math.test.js::add > adds two numbers',
        suite: 'unit',
        file: 'test/math.test.js',
        fullName: 'add > adds two numbers',
        status: 'passed',
        durationMs: 2,
        location: { file: 'test/math.test.js', line: 4, column: 3 },
      },
      {
        id: 'unit::test/math.test.js::add > adds negatives',
        suite: 'unit',
        file: 'test/math.test.js',
        fullName: 'add > adds negatives',
        status: 'passed',
        durationMs: 0,
        location: { file: 'test/math.test.js', line: 7, column: 3 },
      },
    ]);
  });

  it('maps pending to skipped and keeps todo, locating assertions in the test and errors in the source', () => {
    const results = parse('failing');
    expect(brief(results).tests).toEqual([
      ['unit::test/price.test.js::price > total > sums price times quantity', 'failed', 5, 'Error: expect(received).toBe(expected) // Object.is equality', 'Error', 'test/price.test.js:6:50'],
      ['unit::test/price.test.js::price > total > is zero for no items', 'passed', 8, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > labels with an upper-case copy', 'failed', 12, 'Error: expect(received).toEqual(expected) // deep equality', 'Error', 'test/price.test.js:13:25'],
      ['unit::test/price.test.js::price > handles discounts', 'skipped', 15, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > handles taxes', 'todo', 16, undefined, undefined, undefined],
      ['unit::test/price.test.js::price > joins parts', 'failed', 17, 'ReferenceError: sep is not defined', 'ReferenceError', 'src/price.js:3:38'],
    ]);
    expect(countTotals(results.tests, results.loadFailures)).toEqual({ tests: 6, passed: 1, failed: 3, skipped: 2, loadErrors: 0 });
    expect(results.tests[0].failure?.stack).toMatch(/^Error: expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality\n\nExpected: 6\nReceived: 2\n {4}at Object\.toBe \(test\/price\.test\.js:6:50\)/);
  });

  it('reads files that fail to load (numRuntimeErrorTestSuites) with the source line that broke', () => {
    const json = JSON.parse(readCapture('jest', 'load', 'report.json'));
    expect(json.numRuntimeErrorTestSuites).toBe(3);
    const results = parseJestReport(json, 'unit', CTX);
    expect(brief(results)).toEqual({
      tests: [['unit::test/fine.test.js::still runs', 'passed', 1, undefined, undefined, undefined]],
      loadFailures: [
        ['test/env.test.js', 'ReferenceError: resolveMode is not defined', 'ReferenceError', 'src/env.js:1:14'],
        // Babel's parse error names the file and position; the frames would only point at the require in the test.
        ['test/syntax.test.js', 'SyntaxError: src/syntax.js: Unexpected token (3:10)', 'SyntaxError', 'src/syntax.js:3:10'],
        ["test/app.test.js", "Cannot find module './helpers' from 'src/app.js'", undefined, 'src/app.js:1:17'],
      ],
    });
    expect(results.loadFailures[0].failure.stack).toBe(
      [
        'ReferenceError: resolveMode is not defined',
        '',
        '> 1 | const mode = resolveMode(process.env.NODE_ENV);',
        '    |              ^',
        '  2 | exports.mode = mode;',
        '  3 |',
        '',
        '  at Object.resolveMode (src/env.js:1:14)',
        '  at Object.require (test/env.test.js:1:18)',
      ].join('\n'),
    );
  });

  it('reads a test over its timeout, which jest reports without a declared location', () => {
    expect(brief(parse('timeout')).tests).toEqual([
      ['unit::test/slow.test.js::waits forever', 'failed', undefined, 'Error: thrown: "Exceeded timeout of 300 ms for a test.', 'Error', 'test/slow.test.js:1:1'],
      ['unit::test/slow.test.js::is quick', 'passed', 2, undefined, undefined, undefined],
    ]);
  });

  it('rejects what is not a jest report, naming the suite and the field', () => {
    expect(() => parseJestReport({ testResults: [] }, 'unit', CTX)).toThrow(
      'Not a jest JSON report (suite "unit"): numRuntimeErrorTestSuites: Invalid input: expected number, received undefined',
    );
  });
});
