import { describe, expect, it } from 'vitest';
import { cannotPassByChance } from '../../src/loop/flaky.js';

describe('cannotPassByChance: which failures the flaky re-runs skip', () => {
  it.each([
    [{ message: 'ReferenceError: sum is not defined', errorName: 'ReferenceError' }, true],
    [{ message: 'SyntaxError: Unexpected token', errorName: 'SyntaxError' }, true],
    [{ message: "Error: Cannot find module './helpers'" }, true],
    [{ message: 'TypeError: runner.runDue is not a function', errorName: 'TypeError' }, true],
    [{ message: "TypeError: Cannot read properties of undefined (reading 'id')", errorName: 'TypeError' }, false],
    [{ message: 'AssertionError: expected 3 to be 4', errorName: 'AssertionError' }, false],
    [{ message: 'Error: Test timed out in 5000ms.' }, false],
  ])('%j → %s', (failure, skip) => {
    expect(cannotPassByChance(failure)).toBe(skip);
  });
});
