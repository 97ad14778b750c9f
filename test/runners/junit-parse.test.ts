import { describe, expect, it } from 'vitest';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const pytest = (name: string) => parseJunitXml(readCapture('pytest', name, 'junit.xml'), { ...CTX, suite: 'py', dialect: 'pytest' });
const nodeJunit = (name: string) => parseJunitXml(readCapture('node-test', name, 'junit.xml'), { ...CTX, suite: 'unit' });

describe('parseJunitXml on real pytest 9 captures (xunit1)', () => {
  it('reads classes into the full name and turns 0-based lines into 1-based ones', () => {
    const { tests, loadFailures } = pytest('passing');
    expect(loadFailures).toEqual([]);
    expect(tests).toEqual([
      { id: 'py::tests/test_math.py::test_adds_two_numbers', suite: 'py', file: 'tests/test_math.py', fullName: 'test_adds_two_numbers', status: 'passed', durationMs: 0, location: { file: 'tests/test_math.py', line: 4 } },
      { id: 'py::tests/test_math.py::TestAdd > test_adds_negatives', suite: 'py', file: 'tests/test_math.py', fullName: 'TestAdd > test_adds_negatives', status: 'passed', durationMs: 0, location: { file: 'tests/test_math.py', line: 9 } },
    ]);
  });

  it('reads assertion and NameError failures, skips and parametrized ids, located at the innermost frame', () => {
    const results = pytest('failing');
    expect(brief(results).tests).toEqual([
      ['py::tests/test_price.py::TestTotal > test_sums_price_times_quantity', 'failed', 7, 'AssertionError: assert 2 == 6', 'AssertionError', 'tests/test_price.py:8'],
      ['py::tests/test_price.py::TestTotal > test_is_zero_for_no_items', 'passed', 10, undefined, undefined, undefined],
      ['py::tests/test_price.py::test_joins_parts', 'failed', 14, "NameError: name 'sep' is not defined", 'NameError', 'src/price.py:6'],
      ['py::tests/test_price.py::test_handles_discounts', 'skipped', 18, undefined, undefined, undefined],
      // A bare assert: the message has no class; the traceback's last line names it.
      ['py::tests/test_price.py::test_is_positive[1]', 'failed', 23, 'assert 1 > 1', 'AssertionError', 'tests/test_price.py:25'],
      ['py::tests/test_price.py::test_is_positive[2]', 'passed', 23, undefined, undefined, undefined],
    ]);
    expect(countTotals(results.tests, results.loadFailures)).toEqual({ tests: 6, passed: 2, failed: 3, skipped: 1, loadErrors: 0 });
  });

  it('reads collection errors as load failures of the test file, located where the import broke', () => {
    const results = pytest('load');
    expect(brief(results)).toEqual({
      tests: [['py::tests/test_fine.py::test_still_runs', 'passed', 1, undefined, undefined, undefined]],
      loadFailures: [
        ['tests/test_env.py', "NameError: name 'resolve_mode' is not defined", 'NameError', 'src/env.py:1'],
        ['tests/test_import.py', "ImportError: cannot import name 'missing' from 'src.lib' (src/lib.py)", 'ImportError', 'tests/test_import.py:1'],
        ['tests/test_module.py', "ModuleNotFoundError: No module named 'src.helpers'", 'ModuleNotFoundError', 'tests/test_module.py:1'],
        // The SyntaxError's own 'File "…", line 4' wins over pytest's frames, which stop at the import.
        ['tests/test_syntax.py', 'SyntaxError: invalid syntax', 'SyntaxError', 'src/syntax_mod.py:4'],
      ],
    });
    expect(countTotals(results.tests, results.loadFailures)).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 4 });
  });
});

describe('parseJunitXml on node 20\'s own JUnit reporter', () => {
  it('nests describe blocks into the full name; without a file attribute the classname stands for the file', () => {
    expect(brief(nodeJunit('failing')).tests).toEqual([
      ['unit::test::price > total > sums price times quantity', 'failed', undefined, 'Expected values to be strictly equal:2 !== 6', undefined, 'test/price.test.js:8:14'],
      ['unit::test::price > total > is zero for no items', 'passed', undefined, undefined, undefined, undefined],
      ['unit::test::price > labels with an upper-case copy', 'failed', undefined, "Expected values to be strictly deep-equal:+ actual - expected  {    name: 'ab',+   upper: 'ab'-   upper: 'AB'  }", undefined, 'test/price.test.js:15:12'],
      ['unit::test::price > handles discounts', 'skipped', undefined, undefined, undefined, undefined],
      ['unit::test::price > handles taxes', 'skipped', undefined, undefined, undefined, undefined],
      ['unit::test::price > joins parts', 'failed', undefined, 'sep is not defined', undefined, 'src/price.js:3:43'],
      ['unit::test::top-level test', 'passed', undefined, undefined, undefined, undefined],
    ]);
  });

  it('reads a testcase named after a file as a load failure, though node says only "test failed"', () => {
    expect(brief(nodeJunit('load')).loadFailures).toEqual([
      ['test/env.test.js', 'test failed', undefined, undefined],
      ['test/export.test.js', 'test failed', undefined, undefined],
      ['test/module.test.js', 'test failed', undefined, undefined],
      ['test/syntax.test.js', 'test failed', undefined, undefined],
    ]);
  });

  it('rejects what is not JUnit XML', () => {
    expect(() => parseJunitXml('<html><body/></html>', { ...CTX, suite: 'unit' })).toThrow('Not JUnit XML (suite "unit"): no <testsuites> or <testsuite> element');
  });
});
