// The real-repository bench compares fixloop's totals with what the runner itself printed; these
// readers of the runners' own summary lines are checked on real captured output (the fixtures'
// output.txt files, captured by their capture.sh) and on lines printed by corpus repositories.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary } from '../bench/real/summary.js';

const fixture = (p: string) => readFileSync(path.join(import.meta.dirname, '../fixtures', p), 'utf8');
const numbers = (t: ReturnType<typeof readSummary>) => t && { tests: t.tests, passed: t.passed, failed: t.failed, skipped: t.skipped };

describe('readSummary', () => {
  it('reads vitest: failed, passed, skipped and todo with the total in parentheses', () => {
    const t = readSummary('vitest', fixture('vitest/assertions/output.txt'));
    expect(numbers(t)).toEqual({ tests: 5, passed: 1, failed: 2, skipped: 2 });
    expect(t?.lines).toEqual(['Tests  2 failed | 1 passed | 1 skipped | 1 todo (5)']);
    expect(numbers(readSummary('vitest', fixture('vitest/passing/output.txt')))).toEqual({ tests: 2, passed: 2, failed: 0, skipped: 0 });
  });

  it('adds up vitest summaries of several runs, with a task runner prefix in front', () => {
    const output = ['solid:test:       Tests  120 passed | 3 skipped (123)', 'solid:test:  Test Files  2 passed (2)', 'solid:test:       Tests  8 passed (8)'].join('\n');
    expect(numbers(readSummary('vitest', output))).toEqual({ tests: 131, passed: 128, failed: 0, skipped: 3 });
  });

  it('reads jest, including todo as skipped and the printed total', () => {
    expect(numbers(readSummary('jest', fixture('jest/failing/output.txt')))).toEqual({ tests: 6, passed: 1, failed: 3, skipped: 2 });
    // Suites that fail to load add no tests: the summary says "1 passed, 1 total".
    expect(numbers(readSummary('jest', fixture('jest/load/output.txt')))).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0 });
  });

  it('reads mocha: passing, then pending and failing on the next lines', () => {
    const t = readSummary('mocha', fixture('mocha/failing/output.txt'));
    expect(numbers(t)).toEqual({ tests: 7, passed: 2, failed: 3, skipped: 2 });
    expect(t?.lines).toEqual(['2 passing (6ms) / 2 pending / 3 failing']);
    expect(numbers(readSummary('mocha', fixture('mocha/passing/output.txt')))).toEqual({ tests: 2, passed: 2, failed: 0, skipped: 0 });
  });

  it('reads node:test from the spec reporter and the tap reporter', () => {
    expect(numbers(readSummary('node:test', fixture('node-test/failing/output.txt')))).toEqual({ tests: 7, passed: 2, failed: 3, skipped: 2 });
    const tap = ['# tests 12', '# suites 3', '# pass 10', '# fail 1', '# cancelled 0', '# skipped 1', '# todo 0', '# duration_ms 81.2'].join('\n');
    expect(numbers(readSummary('node:test', tap))).toEqual({ tests: 12, passed: 10, failed: 1, skipped: 1 });
  });

  it('reads pytest: errors count as failed, the rule around the line is optional', () => {
    expect(numbers(readSummary('pytest', fixture('pytest/failing/output.txt')))).toEqual({ tests: 6, passed: 2, failed: 3, skipped: 1 });
    expect(numbers(readSummary('pytest', fixture('pytest/load/output.txt')))).toEqual({ tests: 5, passed: 1, failed: 4, skipped: 0 });
    expect(numbers(readSummary('pytest', '1289 passed, 21 skipped, 2 xfailed, 3 warnings in 4.02s'))).toEqual({ tests: 1312, passed: 1289, failed: 0, skipped: 23 });
  });

  it('finds no summary when the runner did not get that far', () => {
    expect(readSummary('vitest', 'ELIFECYCLE  Command failed with exit code 1.')).toBeUndefined();
    expect(readSummary('jest', fixture('mocha/passing/output.txt'))).toBeUndefined();
  });
});
