// The real-repository bench compares fixloop's totals with the runner's own suite by suite: each
// policy suite is run plainly, its summary read with the suite's format. These are the verdicts on
// captured runner output (the fixtures' capture.sh recipes) and on lines corpus repositories printed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary } from '../bench/real/summary.js';
import { allEqual, checkSuite, checkSuites, plainSuitesMs, readerOf, type PlainSuiteRun } from '../bench/real/suites.js';

const fixture = (p: string) => readFileSync(path.join(import.meta.dirname, '../fixtures', p), 'utf8');
const run = (exitCode: number, output: string, ms = 1000, reader: Parameters<typeof readSummary>[0] | undefined = undefined): PlainSuiteRun => ({
  exitCode,
  ms,
  timedOut: false,
  totals: reader ? readSummary(reader, output) : undefined,
});
const t = (tests: number, passed: number, failed: number, skipped: number) => ({ tests, passed, failed, skipped, loadErrors: 0 });

describe('readerOf', () => {
  it('maps policy formats to the summary readers, "auto" to the entry runner', () => {
    expect(readerOf('node-test', 'mocha')).toBe('node:test');
    expect(readerOf('mocha', 'node:test')).toBe('mocha');
    expect(readerOf('auto', 'pytest')).toBe('pytest');
    expect(readerOf(undefined, 'jest')).toBe('jest');
    expect(readerOf('exit-code', 'vitest')).toBe('exit-code');
    expect(readerOf('junit', 'vitest')).toBeUndefined();
  });
});

describe('checkSuite', () => {
  const mocha = { name: 'test', command: 'npm test', format: 'mocha' };

  it('is equal when fixloop counts what the runner printed for that suite', () => {
    const c = checkSuite(mocha, 'mocha', run(1, fixture('mocha/failing/output.txt'), 1000, 'mocha'), t(7, 2, 3, 2));
    expect(c.equal).toBe(true);
    expect(c.why).toBeUndefined();
  });

  it('names both counts when they differ', () => {
    const c = checkSuite(mocha, 'mocha', run(1, fixture('mocha/failing/output.txt'), 1000, 'mocha'), t(7, 1, 4, 2));
    expect(c.equal).toBe(false);
    expect(c.why).toBe('fixloop 7 (1✓ 4✗ 2↷) vs runner 7 (2✓ 3✗ 2↷)');
  });

  it('reads node:test under c8 whose coverage gate fails the command: the counts still compare', () => {
    const suite = { name: 'test', command: 'c8 --100 node --test', format: 'node-test' };
    const c = checkSuite(suite, 'node:test', run(1, fixture('node-test/c8/narrowed-c8.txt'), 1000, 'node:test'), t(2, 2, 0, 0));
    expect(c.equal).toBe(true);
  });

  it('compares a suite judged by exit code by pass/fail only', () => {
    const suite = { name: 'typescript', command: 'npm run test:typescript', format: 'exit-code' };
    expect(checkSuite(suite, 'node:test', run(0, 'uses tstyche 4'), t(1, 1, 0, 0)).equal).toBe(true);
    expect(checkSuite(suite, 'node:test', run(2, 'error TS2345'), t(1, 0, 1, 0)).equal).toBe(true);
    const c = checkSuite(suite, 'node:test', run(2, 'error TS2345'), t(1, 1, 0, 0));
    expect(c).toMatchObject({ equal: false, why: 'exit 2, fixloop 1 (1✓ 0✗ 0↷)' });
  });

  it('does not compare a run whose runner printed no summary, and says why', () => {
    const c = checkSuite(mocha, 'mocha', run(2, fixture('mocha/tsc-pretest/output.txt'), 1000, 'mocha'), t(0, 0, 0, 0));
    expect(c.equal).toBeUndefined();
    expect(c.why).toBe('the runner printed no summary (exit 2)');
    const junit = checkSuite({ name: 'x', command: 'make test', format: 'junit' }, 'vitest', run(0, ''), t(3, 3, 0, 0));
    expect(junit.why).toBe('format "junit" has no summary reader in bench/real/summary.ts');
  });

  it('is not equal when fixloop reported nothing for the suite', () => {
    expect(checkSuite(mocha, 'mocha', run(0, fixture('mocha/passing/output.txt'), 1000, 'mocha'), undefined)).toMatchObject({ equal: false, why: 'fixloop reported no totals for this suite' });
  });
});

describe('checkSuites', () => {
  it("compares yargs-parser's two mocha suites each with its own run (not 362+20 with npm test's 362)", () => {
    const suites = [
      { name: 'test', command: 'npm test', format: 'mocha' },
      { name: 'typescript', command: 'npm run test:typescript', format: 'mocha' },
    ];
    const runs = [
      { suite: suites[0], plain: run(0, '  362 passing (951ms)\n', 19_800, 'mocha') },
      { suite: suites[1], plain: run(0, '  20 passing (27ms)\n', 18_400, 'mocha') },
    ];
    const checks = checkSuites('mocha', runs, [
      { suite: 'test', totals: t(362, 362, 0, 0) },
      { suite: 'typescript', totals: t(20, 20, 0, 0) },
    ]);
    expect(checks.map((c) => [c.suite, c.equal])).toEqual([
      ['test', true],
      ['typescript', true],
    ]);
    expect(allEqual(checks)).toBe(true);
    expect(plainSuitesMs(checks)).toBe(38_200);
  });

  it('is not all equal when one suite differs or was not compared, and undefined without suites', () => {
    const suite = { name: 'test', command: 'npm test', format: 'mocha' };
    const differs = checkSuites('mocha', [{ suite, plain: run(0, '  20 passing (31ms)\n', 1, 'mocha') }], [{ suite: 'test', totals: t(21, 21, 0, 0) }]);
    expect(allEqual(differs)).toBe(false);
    const unread = checkSuites('mocha', [{ suite, plain: run(1, 'npm error missing script: test') }], [{ suite: 'test', totals: t(0, 0, 0, 0) }]);
    expect(allEqual(unread)).toBe(false);
    expect(allEqual([])).toBeUndefined();
    expect(plainSuitesMs([])).toBeUndefined();
  });
});
