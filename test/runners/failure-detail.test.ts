// Whole failures on real captures: every runner's assertion failure keeps its full message,
// expected and received, and its diff; an error raised in the code under test is located at the
// source frame with the test's own frame kept beside it.
import { describe, expect, it } from 'vitest';
import type { Failure, LoadFailure, TestCase } from '../../src/model.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { settleResults } from '../../src/runners/settle.js';
import { completeFailure } from '../../src/runners/failure-detail.js';
import { parseCapture } from './captures.js';
import { CTX, ROOT, readCapture } from './runner-captures.js';

type Results = { tests: TestCase[]; loadFailures: LoadFailure[] };
const at = (l?: { file: string; line: number; column?: number }) => l && `${l.file}:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`;

function failures(results: Results): Record<string, Omit<Failure, 'stack' | 'location' | 'testLocation'> & { location?: string; testLocation?: string }> {
  settleResults(results, ROOT, CTX);
  const out: Record<string, ReturnType<typeof failures>[string]> = {};
  for (const test of results.tests) {
    if (!test.failure) continue;
    const { stack: _stack, location, testLocation, ...rest } = test.failure;
    out[test.fullName] = { ...rest, location: at(location), testLocation: at(testLocation) };
  }
  return out;
}

const VITEST_DIFF = ['- Expected', '+ Received', '', '  {', '    "name": "ab",', '-   "upper": "AB",', '+   "upper": "ab",', '  }'].join('\n');
const NODE_DIFF = ['+ actual - expected', '', '  {', "    name: 'ab',", "+   upper: 'ab'", "-   upper: 'AB'", '  }'].join('\n');

describe('whole failures from captured runs', () => {
  it('vitest: the printed diff and the values its message names', () => {
    const found = failures(parseCapture('assertions'));
    expect(found['price > total > sums price times quantity']).toEqual({
      message: 'AssertionError: expected 2 to be 6 // Object.is equality',
      errorName: 'AssertionError',
      details: 'AssertionError: expected 2 to be 6 // Object.is equality\n\n- Expected\n+ Received\n\n- 6\n+ 2',
      diff: '- Expected\n+ Received\n\n- 6\n+ 2',
      expected: '6',
      actual: '2',
      location: 'test/price.test.ts:7:45',
      testLocation: 'test/price.test.ts:7:45',
    });
    expect(found['price > labels with an upper-case copy']).toMatchObject({
      diff: VITEST_DIFF,
      expected: "{ name: 'ab', upper: 'AB' }",
      actual: "{ name: 'ab', upper: 'ab' }",
    });
  });

  it('vitest: an error thrown in the source is located there, the test frame beside it', () => {
    const { tests } = parseCapture('reference');
    settleResults({ tests, loadFailures: [] }, ROOT, CTX);
    expect(tests.filter((t) => t.failure).map((t) => [at(t.failure?.location), at(t.failure?.testLocation)])).toEqual([
      ['src/b.ts:1:50', 'test/b.test.ts:5:10'],
      ['src/b.ts:1:50', 'test/b.test.ts:9:10'],
      ['src/b.ts:1:50', 'test/c.test.ts:5:10'],
    ]);
  });

  it("jest: the matcher's structured expected and received, the diff, the source frame", () => {
    const found = failures(parseJestReport(JSON.parse(readCapture('jest', 'failing', 'report.json')), 'unit', CTX));
    expect(found['price > total > sums price times quantity']).toEqual({
      message: 'Error: expect(received).toBe(expected) // Object.is equality',
      errorName: 'Error',
      details: 'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 6\nReceived: 2',
      expected: '6',
      actual: '2',
      location: 'test/price.test.js:6:50',
      testLocation: 'test/price.test.js:6:50',
    });
    expect(found['price > labels with an upper-case copy']).toMatchObject({
      expected: '{\n  "name": "ab",\n  "upper": "AB"\n}',
      actual: '{\n  "name": "ab",\n  "upper": "ab"\n}',
      diff: ['- Expected  - 1', '+ Received  + 1', '', '  Object {', '    "name": "ab",', '-   "upper": "AB",', '+   "upper": "ab",', '  }'].join('\n'),
    });
    expect(found['price > joins parts']).toEqual({
      message: 'ReferenceError: sep is not defined',
      errorName: 'ReferenceError',
      location: 'src/price.js:3:38',
      testLocation: 'test/price.test.js:18:12',
    });
  });

  it("node:test: AssertionError's expected and actual as node shows them", () => {
    const found = failures(parseNodeTestReport(readCapture('node-test', 'failing', 'report.ndjson'), 'unit', CTX));
    expect(found['price > total > sums price times quantity']).toEqual({
      message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 2 !== 6',
      errorName: 'AssertionError',
      details: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n2 !== 6',
      expected: '6',
      actual: '2',
      location: 'test/price.test.js:8:14',
      testLocation: 'test/price.test.js:8:14',
    });
    expect(found['price > labels with an upper-case copy']).toMatchObject({
      expected: "{ name: 'ab', upper: 'AB' }",
      actual: "{ name: 'ab', upper: 'ab' }",
      diff: NODE_DIFF,
    });
    expect(found['price > joins parts']).toMatchObject({ location: 'src/price.js:3:43', testLocation: 'test/price.test.js:20:18' });
  });

  it("mocha (xunit): the message and mocha's own diff once, though the body repeats the message", () => {
    const found = failures(parseJunitXml(readCapture('mocha', 'failing', 'xunit.xml'), { ...CTX, suite: 'unit' }));
    const total = Object.entries(found).find(([name]) => name.endsWith('sums price times quantity'))![1];
    expect(total).toEqual({
      message: 'Expected values to be strictly equal: 2 !== 6',
      errorName: 'AssertionError',
      details: 'Expected values to be strictly equal:\n\n2 !== 6\n\n\n      + expected - actual\n\n      -2\n      +6',
      diff: '      + expected - actual\n\n      -2\n      +6',
      expected: '6',
      actual: '2',
      location: 'test/price.test.js:7:14',
      testLocation: 'test/price.test.js:7:14',
    });
    const join = Object.entries(found).find(([name]) => name.endsWith('joins parts'))![1];
    expect([join.location, join.testLocation]).toEqual(['src/price.js:3:38', 'test/price.test.js:19:24']);
  });

  it("pytest: the assertion rewrite's lines, its values, the source frame of a NameError", () => {
    const found = failures(parseJunitXml(readCapture('pytest', 'failing', 'junit.xml'), { ...CTX, suite: 'py', dialect: 'pytest' }));
    expect(found['TestTotal > test_sums_price_times_quantity']).toEqual({
      message: 'AssertionError: assert 2 == 6',
      errorName: 'AssertionError',
      details: "AssertionError: assert 2 == 6\n +  where 2 = total([{'price': 2, 'quantity': 3}])",
      expected: '6',
      actual: '2',
      location: 'tests/test_price.py:8',
      testLocation: 'tests/test_price.py:8',
    });
    expect(found['test_joins_parts']).toMatchObject({ location: 'src/price.py:6', testLocation: 'tests/test_price.py:15' });
  });
});

describe('whole failures from pytest\'s assertion rewrite', () => {
  it('keeps its explanation, its full diff of two dicts and the diff of two strings', () => {
    const found = failures(parseJunitXml(readCapture('pytest', 'assertions', 'junit.xml'), { ...CTX, suite: 'py', dialect: 'pytest' }));
    expect(found['test_label_upper']).toMatchObject({
      message: "AssertionError: assert {'name': 'ab', 'upper': 'ab'} == {'name': 'ab', 'upper': 'AB'}",
      expected: "{'name': 'ab', 'upper': 'AB'}",
      actual: "{'name': 'ab', 'upper': 'ab'}",
      diff: ['  Full diff:', '    {', "        'name': 'ab',", "  -     'upper': 'AB',", '  ?               ^^', "  +     'upper': 'ab',", '  ?               ^^', '    }'].join('\n'),
      location: 'tests/test_label.py:5',
    });
    expect(found['test_label_upper'].details?.split('\n').slice(0, 5)).toEqual([
      "AssertionError: assert {'name': 'ab', 'upper': 'ab'} == {'name': 'ab', 'upper': 'AB'}",
      '  ',
      '  Omitting 1 identical items, use -vv to show',
      '  Differing items:',
      "  {'upper': 'ab'} != {'upper': 'AB'}",
    ]);
    expect(found['test_greet']).toMatchObject({ expected: "'Hello, Ann'", actual: "'Hello Ann'", diff: '- Hello, Ann\n?      -\n+ Hello Ann' });
  });
});

describe('completeFailure', () => {
  it('keeps what a parser filled in and is the same when applied twice', () => {
    const failure: Failure = { message: 'Error: x', stack: 'Error: x\nExpected: 1\nReceived: 2\n    at t (test/a.test.js:3:1)', expected: 'one', actual: 'two' };
    const once = completeFailure(failure, 'test/a.test.js', ROOT);
    expect(once).toEqual({ ...failure, details: 'Error: x\nExpected: 1\nReceived: 2', testLocation: { file: 'test/a.test.js', line: 3, column: 1 } });
    expect(completeFailure(once, 'test/a.test.js', ROOT)).toEqual(once);
  });
});
