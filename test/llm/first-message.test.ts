// The model is told what an assertion compared: expected, received and the diff the runner
// printed (when the stack does not hold it), and the function the assertion checks.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/model.js';
import { describeFailures } from '../../src/repair/llm/first-message.js';

const problem: Problem = {
  id: 'p1', kind: 'assertion', title: 'AssertionError: expected 2 to be 6 (test/price.test.ts:7)', message: 'AssertionError: expected 2 to be 6',
  location: { file: 'test/price.test.ts', line: 7 }, testIds: ['unit::test/price.test.ts::sums'], loadFailedFiles: [], testFiles: ['test/price.test.ts'],
  failures: [{ message: 'AssertionError: expected 2 to be 6', location: { file: 'test/price.test.ts', line: 7 }, expected: '6', actual: '2', diff: '- Expected\n+ Received\n\n- 6\n+ 2' }],
  callee: { name: 'total', file: 'src/price.ts', line: 1 },
};

describe('describeFailures', () => {
  it('gives expected, received and the diff of an assertion', () => {
    expect(describeFailures(problem)).toBe(
      ['1. AssertionError: expected 2 to be 6 (at test/price.test.ts:7)', '   expected: 6', '   received: 2', '', '```diff', '- Expected', '+ Received', '', '- 6', '+ 2', '```'].join('\n'),
    );
  });
});
