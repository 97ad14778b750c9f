// A file node's test runner runs that declares no test (a helper matched by the suite's glob or
// by node's default discovery): node counts it as one passing test, and so does fixloop, so the
// totals are node's own (uuid's dist-node/test/test_constants.js: fixloop 75, node 76).
import { describe, expect, it } from 'vitest';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { CTX, readCapture } from './runner-captures.js';

const nodeCount = (text: string) => Number(/ℹ tests (\d+)/.exec(text)![1]);

describe('a test file without tests', () => {
  for (const capture of ['no-tests', 'versions/node-22.23.3/no-tests']) {
    it(`is one passing test named by the file, as node counts it (${capture})`, () => {
      const results = parseNodeTestReport(readCapture('node-test', capture, 'report.ndjson'), 'unit', CTX);
      expect(results.tests.map((t) => [t.id, t.status, t.location?.line])).toEqual([
        ['unit::test/constants.js::test/constants.js', 'passed', undefined],
        ['unit::test/math.test.js::add > adds two numbers', 'passed', 6],
        ['unit::test/math.test.js::add > adds negatives', 'passed', 9],
      ]);
      expect(countTotals(results.tests, results.loadFailures).tests).toBe(nodeCount(readCapture('node-test', capture, 'output.txt')));
    });
  }

  it('a file whose tests ran is not counted again', () => {
    const results = parseNodeTestReport(readCapture('node-test', 'passing', 'report.ndjson'), 'unit', CTX);
    expect(results.tests.some((t) => t.fullName === t.file)).toBe(false);
  });
});
