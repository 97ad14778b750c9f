import { describe, expect, it } from 'vitest';
import type { SuiteRun } from '../../src/model.js';
import { groupProblems, missingName, normalizeMessage, problemId } from '../../src/triage/group.js';
import { suiteRunOf, testRunOf } from '../runners/captures.js';

const summary = (suites: SuiteRun[]) =>
  groupProblems(testRunOf(...suites)).map((p) => ({
    kind: p.kind,
    title: p.title,
    tests: p.testIds.length,
    loadFailedFiles: p.loadFailedFiles,
    testFiles: p.testFiles,
  }));

describe('groupProblems', () => {
  it('makes one problem of one ReferenceError raised in a source line by tests in two files', () => {
    expect(groupProblems(testRunOf(suiteRunOf('reference')))).toEqual([
      {
        id: 'f2b098061e8f',
        kind: 'reference',
        title: 'ReferenceError: join is not defined (src/b.ts:1)',
        message: 'ReferenceError: join is not defined',
        location: { file: 'src/b.ts', line: 1, column: 50 },
        testIds: ['unit::test/b.test.ts::joins with commas', 'unit::test/b.test.ts::joins one item', 'unit::test/c.test.ts::joins nothing'],
        loadFailedFiles: [],
        testFiles: ['test/b.test.ts', 'test/c.test.ts'],
        failures: [expect.objectContaining({ errorName: 'ReferenceError' }), expect.anything(), expect.anything()],
      },
    ]);
  });

  it('makes a file that fails to load one problem at the source line that broke', () => {
    expect(summary([suiteRunOf('import-time')])).toEqual([
      {
        kind: 'reference',
        title: "ReferenceError: Cannot access 'base' before initialization (src/config.ts:1)",
        tests: 0,
        loadFailedFiles: ['test/config.test.ts'],
        testFiles: ['test/config.test.ts'],
      },
      {
        kind: 'reference',
        title: 'ReferenceError: resolveMode is not defined (src/env.ts:1)',
        tests: 0,
        loadFailedFiles: ['test/env.test.ts'],
        testFiles: ['test/env.test.ts'],
      },
    ]);
  });

  it('merges a load failure and failing tests that break on the same source line', () => {
    const reference = suiteRunOf('reference');
    const other: SuiteRun = {
      ...suiteRunOf('passing', 'e2e'),
      loadFailures: [
        {
          suite: 'e2e',
          file: 'e2e/boot.test.ts',
          failure: { message: 'join is not defined', location: { file: 'src/b.ts', line: 1, column: 50 } },
        },
      ],
    };
    expect(summary([reference, other])).toEqual([
      {
        kind: 'reference',
        title: 'ReferenceError: join is not defined (src/b.ts:1)',
        tests: 3,
        loadFailedFiles: ['e2e/boot.test.ts'],
        testFiles: ['e2e/boot.test.ts', 'test/b.test.ts', 'test/c.test.ts'],
      },
    ]);
  });

  it('puts syntax, then module-load, then other load failures first, then the problems explaining most tests', () => {
    const suites = [suiteRunOf('assertions', 'a'), suiteRunOf('reference', 'b'), suiteRunOf('import-time', 'c'), suiteRunOf('missing-module', 'd'), suiteRunOf('syntax-ts', 'e')];
    expect(summary(suites).map((p) => `${p.kind} ${p.title.replace(/^.*\((.+)\)$/, '$1')} ${p.tests}+${p.loadFailedFiles.length}`)).toEqual([
      'syntax test/broken.test.ts:4 0+1',
      'syntax src/x.ts:3 0+1',
      'module-load src/app.ts:1 0+1',
      'module-load test/nopkg.test.ts:2 0+1',
      'reference src/config.ts:1 0+1',
      'reference src/env.ts:1 0+1',
      'reference src/b.ts:1 3+0',
      'assertion test/price.test.ts:7 1+0',
      'assertion test/price.test.ts:16 1+0',
      'type test/dep.test.ts:5 1+0',
    ]);
  });

  it('leaves suites with a blocker out: they could not judge the code', () => {
    const blocked: SuiteRun = {
      ...suiteRunOf('reference'),
      blocker: { reason: 'timeout', message: 'timed out after 2s', outputTail: '' },
    };
    expect(groupProblems(testRunOf(blocked, suiteRunOf('passing', 'e2e')))).toEqual([]);
  });

  it('makes one problem of a name missing in one file, whatever line each test fails at (a deleted import)', () => {
    const run = suiteRunOf('assertions');
    const at = (line: number, message: string) => ({ message, errorName: message.split(':')[0], location: { file: 'test/price.test.ts', line } });
    run.tests[0] = { ...run.tests[0], status: 'failed', failure: at(7, 'ReferenceError: total is not defined') };
    run.tests[1] = { ...run.tests[1], status: 'failed', failure: at(11, 'ReferenceError: total is not defined') };
    run.tests[2] = { ...run.tests[2], status: 'failed', failure: at(16, 'ReferenceError: label is not defined') };
    const problems = groupProblems(testRunOf(run));
    expect(problems.map((p) => [p.title, p.testIds.length])).toEqual([
      ['ReferenceError: total is not defined (test/price.test.ts:7)', 2],
      ['ReferenceError: label is not defined (test/price.test.ts:16)', 1],
    ]);
    expect(missingName({ message: "NameError: name 'sep' is not defined" })).toBe('sep');
    expect(missingName({ message: "src/a.ts(3,1): error TS2304: Cannot find name 'join'." })).toBe('join');
  });

  it('locates a failure without a location at its test file, without inventing a line', () => {
    const run = suiteRunOf('passing');
    run.tests[0] = { ...run.tests[0], status: 'failed', failure: { message: 'Error: boom', errorName: 'Error' } };
    const [problem] = groupProblems(testRunOf(run));
    expect(problem).toMatchObject({ kind: 'unknown', title: 'Error: boom', testFiles: ['test/math.test.ts'] });
    expect(problem.location).toBeUndefined();
    expect(problem.id).toBe(problemId('unknown', 'test/math.test.ts', 'Error: boom'));
  });
});

describe('problem ids', () => {
  it('stay the same when only numbers, quoted values or the class prefix change', () => {
    expect(normalizeMessage("AssertionError: expected 2 to be 6 // Object.is equality")).toBe('expected <n> to be <n> // Object.is equality');
    expect(normalizeMessage("Cannot access 'base' before   initialization")).toBe('Cannot access <v> before initialization');
    expect(problemId('assertion', 'test/a.test.ts:7', 'AssertionError: expected 2 to be 6')).toBe(
      problemId('assertion', 'test/a.test.ts:7', 'expected 5 to be 6'),
    );
  });

  it('differ by kind, by line and by message', () => {
    const base = problemId('reference', 'src/b.ts:1', 'join is not defined');
    expect(base).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set([
      base,
      problemId('type', 'src/b.ts:1', 'join is not defined'),
      problemId('reference', 'src/b.ts:2', 'join is not defined'),
      problemId('reference', 'src/b.ts:1', 'split is not defined'),
    ]).size).toBe(4);
  });
});
